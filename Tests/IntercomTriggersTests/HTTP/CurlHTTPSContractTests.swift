import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// The transport contract over https: a real TLS receiver (nginx in front of a scripted backend, certificates
/// generated for the test) and the libcurl transport trusting the test's CA.
@Suite struct CurlHTTPSContractTests {
    static let ok: ScriptedHTTPServer.Script = { _, _ in .respond(status: 200) }

    @Test func sendsTheRequestAndReturnsStatusHeadersAndBody() async throws {
        let script: ScriptedHTTPServer.Script = { _, _ in
            .respond(status: 201, headers: [("Retry-After", "7"), ("X-Seen", "yes")], body: "created")
        }
        try await CurlTestBed.withHTTPSReceiver(script: script) { server, terminator, certificates in
            var request = CurlTestBed.request(
                terminator.url("/hook/a%20b?x=1"), body: #"{"id":"evt-1"}"#, caFile: certificates.caFile)
            request.headers.append(("webhook-id", "evt-1"))
            let response = try await CurlTestBed.withTransport { try await $0.send(request) }
            #expect(response.status == 201)
            #expect(response.header("retry-after") == "7")
            #expect(response.header("X-Seen") == "yes")
            #expect(String(decoding: response.body, as: UTF8.self) == "created")
            let received = try #require(server.received.first)
            #expect(received.head.method == .POST)
            #expect(received.head.uri == "/hook/a%20b?x=1")
            #expect(received.head.headers["Host"] == ["127.0.0.1:\(terminator.port)"])
            #expect(received.head.headers["webhook-id"] == ["evt-1"])
            #expect(String(decoding: received.body, as: UTF8.self) == #"{"id":"evt-1"}"#)
        }
    }

    @Test func theCertificatesHostNameIsAcceptedToo() async throws {
        try await CurlTestBed.withHTTPSReceiver(script: Self.ok) { server, terminator, certificates in
            let request = CurlTestBed.request(terminator.url(host: "localhost"), caFile: certificates.caFile)
            let response = try await CurlTestBed.withTransport { try await $0.send(request) }
            #expect(response.status == 200)
            #expect(server.received.count == 1)
        }
    }

    @Test func sequentialRequestsShareOneKeptAliveConnection() async throws {
        try await CurlTestBed.withHTTPSReceiver(script: Self.ok) { server, terminator, certificates in
            try await CurlTestBed.withTransport { transport in
                for _ in 0..<5 {
                    let request = CurlTestBed.request(terminator.url(), caFile: certificates.caFile)
                    try #require(try await transport.send(request).status == 200)
                }
            }
            #expect(server.received.count == 5)
            // Stream mode: one backend connection per TLS connection.
            #expect(server.connections == 1)
        }
    }

    @Test func aReceiverThatNeverAnswersTimesOutAtTheDeadline() async throws {
        let script: ScriptedHTTPServer.Script = { _, _ in .never }
        try await CurlTestBed.withHTTPSReceiver(script: script) { server, terminator, certificates in
            let request = CurlTestBed.request(terminator.url(), caFile: certificates.caFile, timeout: .seconds(1))
            let clock = ContinuousClock()
            let started = clock.now
            let error = await #expect(throws: HTTPTransportError.self) {
                try await CurlTestBed.withTransport { try await $0.send(request) }
            }
            #expect(error == .timedOut)
            #expect(clock.now - started < .seconds(15))
            #expect(server.received.count == 1)
        }
    }

    @Test func cancellingTheCallerEndsTheTransferAndItsConnection() async throws {
        let script: ScriptedHTTPServer.Script = { _, _ in .never }
        try await CurlTestBed.withHTTPSReceiver(script: script) { server, terminator, certificates in
            try await CurlTestBed.withTransport { transport in
                let request = CurlTestBed.request(
                    terminator.url(), caFile: certificates.caFile, timeout: .seconds(600))
                let task = Task { try await transport.send(request) }
                try await eventually("the backend has the request") { server.received.count == 1 }
                let clock = ContinuousClock()
                let cancelled = clock.now
                task.cancel()
                let result = await task.result
                // Long before the request's own 600-s timeout (a bound, not a speed).
                #expect(clock.now - cancelled < .seconds(60))
                #expect(throws: CancellationError.self) { try result.get() }
                try await eventually("the backend connection is closed") { server.openConnections == 0 }
            }
        }
    }

    @Test func aRefusedPortIsNotConnected() async throws {
        let port = try RefusingPort()
        let url = URL(string: "https://127.0.0.1:\(port.port)/hook")!
        let error = await #expect(throws: HTTPTransportError.self) {
            try await CurlTestBed.withTransport { try await $0.send(CurlTestBed.request(url, caFile: nil)) }
        }
        #expect(CurlTestBed.isNotConnected(error), "\(String(describing: error))")
    }

    @Test func concurrentRequestsShareOneHTTP2Connection() async throws {
        // Slow answers: the eight requests are in flight together.
        let script: ScriptedHTTPServer.Script = { _, _ in .respondAfter(.milliseconds(300)) }
        try await CurlTestBed.withHTTPSReceiver(mode: .http2, script: script) { server, terminator, certificates in
            try await CurlTestBed.withTransport { transport in
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 0..<8 {
                        let request = CurlTestBed.request(terminator.url("/hook/\(index)"), caFile: certificates.caFile)
                        group.addTask { try await transport.send(request).status }
                    }
                    for try await status in group { #expect(status == 200) }
                }
            }
            #expect(server.received.count == 8)
            try await eventually("nginx has logged every request") { terminator.accessLog().count == 8 }
            let log = terminator.accessLog()
            #expect(Set(log.map(\.serverProtocol)) == ["HTTP/2.0"])
            #expect(Set(log.map(\.connection)).count == 1, "\(log)")
            #expect(Set(log.map(\.connectionRequest)) == Set(1...8))
        }
    }
}
