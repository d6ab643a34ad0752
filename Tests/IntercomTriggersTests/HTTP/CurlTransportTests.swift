import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// The transport contract over plain HTTP: what is sent, what comes back, how connections are reused, and how
/// every failure is told apart. (The TLS, proxy and framing cases are in their own suites.)
@Suite struct CurlTransportTests {
    static func post(_ url: String, body: String = "{}", timeout: Duration = .seconds(60)) -> HTTPRequest {
        HTTPRequest(
            method: .post, url: URL(string: url)!, headers: [("Content-Type", "application/json")],
            body: Data(body.utf8), timeout: timeout)
    }

    static let ok: ScriptedHTTPServer.Script = { _, _ in .respond(status: 200) }

    @Test func sendsTheRequestAsGivenAndReturnsTheWholeAnswer() async throws {
        let script: ScriptedHTTPServer.Script = { _, _ in
            .respond(status: 201, headers: [("Retry-After", "7"), ("X-Seen", "yes")], body: "created")
        }
        try await ScriptedHTTPServer.withRunning(script: script) { server in
            var request = Self.post(server.baseURL + "/hook/a%20b?x=1&y=%2F", body: #"{"id":"evt-1"}"#)
            request.headers.append(("webhook-id", "evt-1"))
            let response = try await CurlTestBed.withDriver { transport, _ in try await transport.send(request) }
            #expect(response.status == 201)
            #expect(response.header("retry-after") == "7")
            #expect(response.header("X-Seen") == "yes")
            #expect(String(decoding: response.body, as: UTF8.self) == "created")
            let received = try #require(server.received.first)
            #expect(received.head.method == .POST)
            #expect(received.head.uri == "/hook/a%20b?x=1&y=%2F")
            #expect(received.head.version == .http1_1)
            let port = URL(string: server.baseURL)!.port!
            #expect(received.head.headers["Host"] == ["127.0.0.1:\(port)"])
            #expect(received.head.headers["Content-Length"] == ["14"])
            #expect(received.head.headers["Content-Type"] == ["application/json"])
            #expect(received.head.headers["webhook-id"] == ["evt-1"])
            // libcurl would wait for a 100 Continue before large bodies: never asked for.
            #expect(received.head.headers["Expect"].isEmpty)
            #expect(String(decoding: received.body, as: UTF8.self) == #"{"id":"evt-1"}"#)
        }
    }

    @Test(arguments: [HTTPMethod.get, .put, .patch, .delete])
    func otherMethodsAreSentAsGiven(_ method: HTTPMethod) async throws {
        try await ScriptedHTTPServer.withRunning(script: Self.ok) { server in
            let body = method == .get || method == .delete ? nil : Data(#"{"a":1}"#.utf8)
            let request = HTTPRequest(method: method, url: URL(string: server.baseURL + "/r")!, body: body)
            let status = try await CurlTestBed.withDriver { transport, _ in try await transport.send(request).status }
            #expect(status == 200)
            let received = try #require(server.received.first)
            #expect(received.head.method.rawValue == method.rawValue)
            #expect(received.body == body ?? Data())
        }
    }

    @Test func aHostOrLengthTheRequestSetsIsNotSentTwice() async throws {
        try await ScriptedHTTPServer.withRunning(script: Self.ok) { server in
            var request = Self.post(server.baseURL + "/hook", body: "{}")
            request.headers += [("Host", "hooks.example.com"), ("Content-Length", "2")]
            _ = try await CurlTestBed.withDriver { transport, _ in try await transport.send(request) }
            let head = try #require(server.received.first?.head)
            #expect(head.headers["Host"] == ["hooks.example.com"])
            #expect(head.headers["Content-Length"] == ["2"])
        }
    }

    @Test func aHeaderWithALineBreakIsRefusedBeforeAnythingIsSent() async throws {
        try await ScriptedHTTPServer.withRunning(script: Self.ok) { server in
            var request = Self.post(server.baseURL + "/hook")
            request.headers.append(("X-Injected", "a\r\nX-Evil: 1"))
            try await CurlTestBed.withDriver { transport, driver in
                await #expect(throws: HTTPTransportError.self) { try await transport.send(request) }
                // Its easy handle went back: the next request reuses it.
                let status = try await transport.send(Self.post(server.baseURL + "/hook")).status
                #expect(status == 200)
                #expect(driver.handlesMade == 1)
            }
            #expect(server.received.count == 1)
        }
    }

    @Test func aRedirectIsReturnedNotFollowed() async throws {
        let script: ScriptedHTTPServer.Script = { index, _ in
            index == 0 ? .respond(status: 302, headers: [("Location", "/elsewhere")]) : .respond(status: 200)
        }
        try await ScriptedHTTPServer.withRunning(script: script) { server in
            let response = try await CurlTestBed.withDriver { transport, _ in
                try await transport.send(Self.post(server.baseURL + "/hook"))
            }
            #expect(response.status == 302)
            #expect(response.header("Location") == "/elsewhere")
            #expect(server.received.count == 1)
        }
    }

    @Test func sequentialRequestsShareOneKeptAliveConnectionAndOneEasyHandle() async throws {
        try await ScriptedHTTPServer.withRunning(script: Self.ok) { server in
            try await CurlTestBed.withDriver { transport, driver in
                for _ in 0..<5 {
                    try #require(await transport.send(Self.post(server.baseURL + "/hook")).status == 200)
                }
                #expect(driver.handlesMade == 1)
            }
            #expect(server.received.count == 5)
            #expect(server.connections == 1)
        }
    }

    @Test func concurrentRequestsEachGetTheirOwnConnection() async throws {
        // Slow answers: the four requests are in flight together (HTTP/1.1 has one request per connection).
        let script: ScriptedHTTPServer.Script = { _, _ in .respondAfter(.milliseconds(200)) }
        try await ScriptedHTTPServer.withRunning(script: script) { server in
            try await CurlTestBed.withDriver { transport, _ in
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<4 {
                        group.addTask { try await transport.send(Self.post(server.baseURL + "/hook")).status }
                    }
                    for try await status in group { #expect(status == 200) }
                }
            }
            #expect(server.connections == 4)
        }
    }

    @Test func aKeptAliveConnectionTheServerDroppedIsRetriedOnceOnAFreshOne() async throws {
        // The first request is answered and the connection kept; the second arrives on it and is dropped
        // without an answer (a server closing an idle connection as the request arrives).
        let script: ScriptedHTTPServer.Script = { index, _ in index == 1 ? .drop : .respond(status: 200) }
        try await ScriptedHTTPServer.withRunning(script: script) { server in
            try await CurlTestBed.withDriver { transport, _ in
                try #require(await transport.send(Self.post(server.baseURL + "/hook")).status == 200)
                try #require(await transport.send(Self.post(server.baseURL + "/hook")).status == 200)
            }
            #expect(server.received.map(\.connection) == [1, 1, 2])
        }
    }

    @Test func aDroppedRequestIsRetriedAtMostOnce() async throws {
        let script: ScriptedHTTPServer.Script = { index, _ in index == 0 ? .respond(status: 200) : .drop }
        try await ScriptedHTTPServer.withRunning(script: script) { server in
            try await CurlTestBed.withDriver { transport, _ in
                try #require(await transport.send(Self.post(server.baseURL + "/hook")).status == 200)
                await #expect(throws: HTTPTransportError.self) {
                    try await transport.send(Self.post(server.baseURL + "/hook"))
                }
                // The reused connection's request and one retry on a fresh connection; never a third.
                #expect(server.received.map(\.connection) == [1, 1, 2])
                // A request dropped on a fresh connection is not retried.
                await #expect(throws: HTTPTransportError.self) {
                    try await transport.send(Self.post(server.baseURL + "/hook"))
                }
                #expect(server.received.count == 4)
            }
        }
    }

    @Test func aServerThatNeverAnswersTimesOutAndItsConnectionIsClosed() async throws {
        let script: ScriptedHTTPServer.Script = { _, _ in .never }
        try await ScriptedHTTPServer.withRunning(script: script) { server in
            try await CurlTestBed.withDriver { transport, _ in
                let started = ContinuousClock.now
                await #expect(throws: HTTPTransportError.timedOut) {
                    try await transport.send(Self.post(server.baseURL + "/hook", timeout: .milliseconds(300)))
                }
                #expect(ContinuousClock.now - started < .seconds(30))
                try await eventually { server.openConnections == 0 }
            }
        }
    }

    @Test func cancellingTheCallerRemovesTheTransferAndClosesTheConnection() async throws {
        let script: ScriptedHTTPServer.Script = { _, _ in .never }
        try await ScriptedHTTPServer.withRunning(script: script) { server in
            try await CurlTestBed.withDriver { transport, _ in
                let request = Self.post(server.baseURL + "/hook", timeout: .seconds(600))
                let task = Task { try await transport.send(request) }
                try await eventually { server.received.count == 1 }
                let cancelled = ContinuousClock.now
                task.cancel()
                await #expect(throws: CancellationError.self) { try await task.value }
                // Long before the request's own 600-s timeout (a bound, not a speed: a loaded host's pool can take
                // seconds to run the resumed caller).
                #expect(ContinuousClock.now - cancelled < .seconds(60))
                try await eventually { server.openConnections == 0 }
            }
        }
    }

    @Test func anAlreadyCancelledCallerSendsNothing() async throws {
        try await ScriptedHTTPServer.withRunning(script: Self.ok) { server in
            try await CurlTestBed.withDriver { transport, _ in
                let task = Task {
                    withUnsafeCurrentTask { $0?.cancel() }
                    return try await transport.send(Self.post(server.baseURL + "/hook"))
                }
                await #expect(throws: CancellationError.self) { try await task.value }
            }
            #expect(server.received.isEmpty)
        }
    }

    @Test func hundredsOfTransfersInFlightEndAtOnceWhenCancelled() async throws {
        let script: ScriptedHTTPServer.Script = { _, _ in .never }
        try await ScriptedHTTPServer.withRunning(script: script) { server in
            try await CurlTestBed.withDriver { transport, _ in
                let request = Self.post(server.baseURL + "/hook", timeout: .seconds(600))
                let group = Task {
                    await withTaskGroup(of: Bool.self) { group in
                        for _ in 0..<300 {
                            group.addTask {
                                do {
                                    _ = try await transport.send(request)
                                    return false
                                } catch { return error is CancellationError }
                            }
                        }
                        return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                    }
                }
                try await eventually(timeout: .seconds(60)) { server.received.count == 300 }
                let cancelled = ContinuousClock.now
                group.cancel()
                #expect(await group.value == 300)
                // Long before the request's own 600-s timeout (a bound, not a speed: a loaded host's pool can take
                // seconds to run the resumed caller).
                #expect(ContinuousClock.now - cancelled < .seconds(60))
                try await eventually { server.openConnections == 0 }
            }
        }
    }

    @Test func stoppingTheDriverEndsTransfersInFlightAndRefusesNewOnes() async throws {
        let script: ScriptedHTTPServer.Script = { _, _ in .never }
        try await ScriptedHTTPServer.withRunning(script: script) { server in
            let driver = CurlDriver()
            let transport = CurlTransport(driver: driver, environment: [:])
            let request = Self.post(server.baseURL + "/hook", timeout: .seconds(600))
            let inFlight = Task { try await transport.send(request) }
            try await eventually { server.received.count == 1 }
            await driver.stop()
            await #expect(throws: HTTPTransportError.self) { try await inFlight.value }
            await #expect(throws: HTTPTransportError.self) { try await transport.send(request) }
            #expect(server.received.count == 1)
        }
    }

    /// The Intercom client retries only writes that provably never left: the transport must say so.
    @Test func aRefusedConnectionIsNotConnected() async throws {
        let refusing = try RefusingPort()
        try await CurlTestBed.withDriver { transport, _ in
            let started = ContinuousClock.now
            do {
                _ = try await transport.send(Self.post(refusing.url().absoluteString, timeout: .seconds(120)))
                Issue.record("a port nobody listens on answered")
            } catch let error as HTTPTransportError {
                guard case .notConnected = error else {
                    Issue.record("expected notConnected, got \(error)")
                    return
                }
            }
            // A refusal is an answer: no waiting for the deadline (generous: a loaded machine's pool may be slow).
            #expect(ContinuousClock.now - started < .seconds(60))
        }
        withExtendedLifetime(refusing) {}
    }

    @Test func aRequestDroppedAfterConnectingMayHaveArrived() async throws {
        let script: ScriptedHTTPServer.Script = { _, _ in .drop }
        try await ScriptedHTTPServer.withRunning(script: script) { server in
            try await CurlTestBed.withDriver { transport, _ in
                do {
                    _ = try await transport.send(Self.post(server.baseURL + "/hook", timeout: .seconds(10)))
                    Issue.record("a dropped request answered")
                } catch let error as HTTPTransportError {
                    guard case .connection = error else {
                        Issue.record("expected a connection error, got \(error)")
                        return
                    }
                }
            }
            #expect(server.received.count >= 1)
        }
    }

    @Test func aLongAnswerIsCutAtTheLimitAndTheTransportStaysUsable() async throws {
        let long = String(repeating: "x", count: 200_000)
        let script: ScriptedHTTPServer.Script = { _, _ in .respond(status: 500, body: long) }
        try await ScriptedHTTPServer.withRunning(script: script) { server in
            var request = Self.post(server.baseURL + "/hook")
            request.bodyLimit = .webhook
            try await CurlTestBed.withDriver { transport, _ in
                let response = try await transport.send(request)
                #expect(response.status == 500)
                #expect(response.body.count == 64 << 10)
                #expect(try await transport.send(request).status == 500)
            }
        }
    }

    @Test func anAPIAnswerPastItsLimitFails() async throws {
        let script: ScriptedHTTPServer.Script = { _, _ in
            .respond(status: 200, body: String(repeating: "y", count: 5_000))
        }
        try await ScriptedHTTPServer.withRunning(script: script) { server in
            var request = Self.post(server.baseURL + "/page")
            request.bodyLimit = .failAbove(4_096)
            try await CurlTestBed.withDriver { transport, _ in
                await #expect(throws: HTTPTransportError.bodyTooLarge(4_096)) { try await transport.send(request) }
            }
        }
    }

    @Test func connectionCloseIsHonoured() async throws {
        let script: ScriptedHTTPServer.Script = { _, _ in
            .respond(status: 200, headers: [("Connection", "close")])
        }
        try await ScriptedHTTPServer.withRunning(script: script) { server in
            try await CurlTestBed.withDriver { transport, _ in
                _ = try await transport.send(Self.post(server.baseURL + "/hook"))
                _ = try await transport.send(Self.post(server.baseURL + "/hook"))
            }
            #expect(server.received.map(\.connection) == [1, 2])
        }
    }

    @Test func schemesOtherThanHTTPAreRefused() async throws {
        _ = try await CurlTestBed.withDriver { transport, _ in
            for url in ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/"] {
                await #expect(throws: HTTPTransportError.self) {
                    try await transport.send(HTTPRequest(method: .get, url: URL(string: url)!))
                }
            }
        }
    }
}
