import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// The HTTP/1.1 framings a receiver may answer with, over plain http and over https (nginx's stream module
/// passes the backend's exact bytes): chunked, close-delimited, interim 1xx answers, a stall after the head,
/// and bodies past the request's limit.
@Suite struct CurlResponseFramingTests {
    @Test(arguments: ReceiverScheme.allCases)
    func aChunkedAnswerIsReadWhole(scheme: ReceiverScheme) async throws {
        let script: ScriptedHTTPServer.Script = { _, _ in
            .chunked(["hello, ", "chunked ", "world"], headers: [("X-Framing", "chunked")])
        }
        try await scheme.withReceiver(script: script) { server, baseURL, caFile in
            let request = CurlTestBed.request(URL(string: baseURL + "/hook")!, caFile: caFile)
            let response = try await CurlTestBed.withTransport { try await $0.send(request) }
            #expect(response.status == 200)
            #expect(response.header("X-Framing") == "chunked")
            #expect(String(decoding: response.body, as: UTF8.self) == "hello, chunked world")
        }
    }

    @Test(arguments: ReceiverScheme.allCases)
    func aCloseDelimitedAnswerIsReadToTheEnd(scheme: ReceiverScheme) async throws {
        let body = String(repeating: "close-delimited ", count: 1_000)
        let script: ScriptedHTTPServer.Script = { _, _ in .closeDelimited(body) }
        try await scheme.withReceiver(script: script) { server, baseURL, caFile in
            let request = CurlTestBed.request(URL(string: baseURL + "/hook")!, caFile: caFile)
            let response = try await CurlTestBed.withTransport { try await $0.send(request) }
            #expect(response.status == 200)
            #expect(response.header("Content-Length") == nil)
            #expect(String(decoding: response.body, as: UTF8.self) == body)
        }
    }

    @Test(arguments: ReceiverScheme.allCases)
    func interimAnswersAreSkippedForTheFinalOne(scheme: ReceiverScheme) async throws {
        let script: ScriptedHTTPServer.Script = { _, _ in
            .informational(
                [
                    (status: "100 Continue", headers: []),
                    (status: "103 Early Hints", headers: [("Link", "</style.css>; rel=preload")]),
                ],
                status: 201, headers: [("X-Final", "yes")], body: "final")
        }
        try await scheme.withReceiver(script: script) { server, baseURL, caFile in
            let request = CurlTestBed.request(URL(string: baseURL + "/hook")!, caFile: caFile)
            let response = try await CurlTestBed.withTransport { try await $0.send(request) }
            #expect(response.status == 201)
            #expect(response.header("X-Final") == "yes")
            #expect(response.header("Link") == nil)
            #expect(String(decoding: response.body, as: UTF8.self) == "final")
        }
    }

    @Test(arguments: ReceiverScheme.allCases)
    func aReceiverStallingAfterTheHeadTimesOutAtTheDeadline(scheme: ReceiverScheme) async throws {
        let script: ScriptedHTTPServer.Script = { _, _ in .headersThenStall(bodyPrefix: "partial") }
        try await scheme.withReceiver(script: script) {
            server, baseURL, caFile in
            let request = CurlTestBed.request(URL(string: baseURL + "/hook")!, caFile: caFile, timeout: .seconds(1))
            let clock = ContinuousClock()
            let started = clock.now
            let error = await #expect(throws: HTTPTransportError.self) {
                try await CurlTestBed.withTransport { try await $0.send(request) }
            }
            #expect(error == .timedOut)
            #expect(clock.now - started < .seconds(15))
        }
    }

    @Test(arguments: ReceiverScheme.allCases)
    func keepFirstReturnsTheAnswerWithTheBodyCutAtTheLimit(scheme: ReceiverScheme) async throws {
        // Printable bytes in no short period: a body cut at the wrong place does not compare equal.
        let bytes: [UInt8] = (0..<200_000).map { (index: Int) -> UInt8 in UInt8(33 + (index * 7 + index / 89) % 90) }
        let body = String(decoding: bytes, as: UTF8.self)
        let script: ScriptedHTTPServer.Script = { _, _ in .respond(status: 200, body: body) }
        try await scheme.withReceiver(script: script) {
            server, baseURL, caFile in
            let request = CurlTestBed.request(
                URL(string: baseURL + "/hook")!, caFile: caFile, bodyLimit: .keepFirst(64 << 10))
            let response = try await CurlTestBed.withTransport { try await $0.send(request) }
            #expect(response.status == 200)
            #expect(response.body.count == 64 << 10)
            #expect(response.body == Data(body.utf8.prefix(64 << 10)))
        }
    }

    @Test(arguments: ReceiverScheme.allCases)
    func keepFirstCutsAChunkedBodyToo(scheme: ReceiverScheme) async throws {
        let chunks = (0..<20).map { String(repeating: Character(UnicodeScalar(UInt8(65 + $0))), count: 10_000) }
        let script: ScriptedHTTPServer.Script = { _, _ in .chunked(chunks) }
        try await scheme.withReceiver(script: script) { server, baseURL, caFile in
            let request = CurlTestBed.request(
                URL(string: baseURL + "/hook")!, caFile: caFile, bodyLimit: .keepFirst(64 << 10))
            let response = try await CurlTestBed.withTransport { try await $0.send(request) }
            #expect(response.status == 200)
            #expect(response.body == Data(chunks.joined().utf8.prefix(64 << 10)))
        }
    }

    @Test(arguments: ReceiverScheme.allCases)
    func aBodyWithinTheLimitIsKeptWhole(scheme: ReceiverScheme) async throws {
        let body = String(repeating: "x", count: 64 << 10)
        let script: ScriptedHTTPServer.Script = { _, _ in .respond(status: 200, body: body) }
        try await scheme.withReceiver(script: script) {
            server, baseURL, caFile in
            let request = CurlTestBed.request(
                URL(string: baseURL + "/hook")!, caFile: caFile, bodyLimit: .failAbove(64 << 10))
            let response = try await CurlTestBed.withTransport { try await $0.send(request) }
            #expect(response.body.count == 64 << 10)
        }
    }

    @Test(arguments: ReceiverScheme.allCases)
    func failAboveFailsALongerBody(scheme: ReceiverScheme) async throws {
        let body = String(repeating: "y", count: 5_000)
        let script: ScriptedHTTPServer.Script = { _, _ in .respond(status: 200, body: body) }
        try await scheme.withReceiver(script: script) {
            server, baseURL, caFile in
            let request = CurlTestBed.request(
                URL(string: baseURL + "/hook")!, caFile: caFile, bodyLimit: .failAbove(1_000))
            let error = await #expect(throws: HTTPTransportError.self) {
                try await CurlTestBed.withTransport { try await $0.send(request) }
            }
            #expect(error == .bodyTooLarge(1_000))
        }
    }
}
