import Foundation
import IntercomTriggersTesting
import NIOHTTP1
import Synchronization
import Testing

@testable import IntercomTriggers

@Suite struct HTTP1TransportTests {
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
            let response = try await HTTP1Transport(pool: HTTP1ConnectionPool()).send(request)
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
            #expect(String(decoding: received.body, as: UTF8.self) == #"{"id":"evt-1"}"#)
        }
    }

    @Test func aHostOrLengthTheRequestSetsIsNotSentTwice() async throws {
        try await ScriptedHTTPServer.withRunning(script: Self.ok) { server in
            var request = Self.post(server.baseURL + "/hook", body: "{}")
            request.headers += [("Host", "hooks.example.com"), ("Content-Length", "2")]
            _ = try await HTTP1Transport(pool: HTTP1ConnectionPool()).send(request)
            let head = try #require(server.received.first?.head)
            #expect(head.headers["Host"] == ["hooks.example.com"])
            #expect(head.headers["Content-Length"] == ["2"])
        }
    }

    @Test func sequentialRequestsShareOneKeptAliveConnection() async throws {
        try await ScriptedHTTPServer.withRunning(script: Self.ok) { server in
            let pool = HTTP1ConnectionPool()
            let transport = HTTP1Transport(pool: pool)
            for _ in 0..<5 {
                try #require(await transport.send(Self.post(server.baseURL + "/hook")).status == 200)
            }
            #expect(server.received.count == 5)
            #expect(server.connections == 1)
            #expect(pool.idleCount(for: .init(host: "127.0.0.1", port: URL(string: server.baseURL)!.port!)) == 1)
        }
    }

    @Test func concurrentRequestsEachGetTheirOwnConnection() async throws {
        // Slow answers: the four requests are in flight together.
        let script: ScriptedHTTPServer.Script = { _, _ in .respondAfter(.milliseconds(200)) }
        try await ScriptedHTTPServer.withRunning(script: script) { server in
            let transport = HTTP1Transport(pool: HTTP1ConnectionPool())
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await transport.send(Self.post(server.baseURL + "/hook")).status }
                }
                for try await status in group { #expect(status == 200) }
            }
            #expect(server.connections == 4)
        }
    }

    @Test func aKeptAliveConnectionTheServerDroppedIsRetriedOnceOnAFreshOne() async throws {
        // The first request is answered and the connection kept; the second arrives on it and is dropped
        // without an answer (a server closing an idle connection as the request arrives).
        let script: ScriptedHTTPServer.Script = { index, _ in index == 1 ? .drop : .respond(status: 200) }
        try await ScriptedHTTPServer.withRunning(script: script) {
            server in
            let transport = HTTP1Transport(pool: HTTP1ConnectionPool())
            try #require(await transport.send(Self.post(server.baseURL + "/hook")).status == 200)
            try #require(await transport.send(Self.post(server.baseURL + "/hook")).status == 200)
            #expect(server.received.map(\.connection) == [1, 1, 2])
        }
    }

    @Test func aDroppedRequestIsRetriedAtMostOnce() async throws {
        let script: ScriptedHTTPServer.Script = { index, _ in index == 0 ? .respond(status: 200) : .drop }
        try await ScriptedHTTPServer.withRunning(script: script) {
            server in
            let transport = HTTP1Transport(pool: HTTP1ConnectionPool())
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

    @Test func aServerThatNeverAnswersTimesOutAndItsConnectionIsClosed() async throws {
        let script: ScriptedHTTPServer.Script = { _, _ in .never }
        try await ScriptedHTTPServer.withRunning(script: script) { server in
            let pool = HTTP1ConnectionPool()
            let started = ContinuousClock.now
            await #expect(throws: HTTPTransportError.timedOut) {
                try await HTTP1Transport(pool: pool).send(
                    Self.post(server.baseURL + "/hook", timeout: .milliseconds(300)))
            }
            #expect(ContinuousClock.now - started < .seconds(30))
            #expect(pool.idleCount(for: .init(host: "127.0.0.1", port: URL(string: server.baseURL)!.port!)) == 0)
            try await eventually { server.openConnections == 0 }
        }
    }

    @Test func cancellingTheCallerClosesTheConnection() async throws {
        let script: ScriptedHTTPServer.Script = { _, _ in .never }
        try await ScriptedHTTPServer.withRunning(script: script) { server in
            let transport = HTTP1Transport(pool: HTTP1ConnectionPool())
            let request = Self.post(server.baseURL + "/hook", timeout: .seconds(600))
            let task = Task { try await transport.send(request) }
            try await eventually { server.received.count == 1 }
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            try await eventually { server.openConnections == 0 }
        }
    }

    /// Both transports say when nothing was sent: the Intercom client retries only such failures of a write.
    @Test(arguments: HTTPTransportKind.allCases)
    func aRefusedConnectionIsNotConnected(over kind: HTTPTransportKind) async throws {
        let refusing = try RefusingPort()
        do {
            // AsyncHTTPClient keeps trying to connect until the deadline: a short one.
            _ = try await kind.transport.send(Self.post(refusing.url().absoluteString, timeout: .seconds(1)))
            Issue.record("a port nobody listens on answered")
        } catch let error as HTTPTransportError {
            guard case .notConnected = error else {
                Issue.record("expected notConnected, got \(error)")
                return
            }
        }
        withExtendedLifetime(refusing) {}
    }

    @Test(arguments: HTTPTransportKind.allCases)
    func aRequestDroppedAfterConnectingMayHaveArrived(over kind: HTTPTransportKind) async throws {
        let script: ScriptedHTTPServer.Script = { _, _ in .drop }
        try await ScriptedHTTPServer.withRunning(script: script) { server in
            do {
                _ = try await kind.transport.send(Self.post(server.baseURL + "/hook", timeout: .seconds(10)))
                Issue.record("a dropped request answered")
            } catch let error as HTTPTransportError {
                guard case .connection = error else {
                    Issue.record("expected a connection error, got \(error)")
                    return
                }
            }
            #expect(server.received.count >= 1)
        }
    }

    @Test func aLongAnswerIsCutTo64KiBAndTheConnectionStaysUsable() async throws {
        let long = String(repeating: "x", count: 200_000)
        let script: ScriptedHTTPServer.Script = { _, _ in .respond(status: 500, body: long) }
        try await ScriptedHTTPServer.withRunning(script: script) { server in
            let transport = HTTP1Transport(pool: HTTP1ConnectionPool())
            let response = try await transport.send(Self.post(server.baseURL + "/hook"))
            #expect(response.status == 500)
            #expect(response.body.count == HTTP1ExchangeHandler.keptBodyBytes)
            _ = try await transport.send(Self.post(server.baseURL + "/hook"))
            #expect(server.connections == 1)
        }
    }

    @Test func connectionCloseIsHonoured() async throws {
        let script: ScriptedHTTPServer.Script = { _, _ in
            .respond(status: 200, headers: [("Connection", "close")])
        }
        try await ScriptedHTTPServer.withRunning(script: script) { server in
            let pool = HTTP1ConnectionPool()
            let transport = HTTP1Transport(pool: pool)
            _ = try await transport.send(Self.post(server.baseURL + "/hook"))
            _ = try await transport.send(Self.post(server.baseURL + "/hook"))
            #expect(server.received.map(\.connection) == [1, 2])
            #expect(pool.idleCount(for: .init(host: "127.0.0.1", port: URL(string: server.baseURL)!.port!)) == 0)
        }
    }

    @Test func anIdleConnectionClosesAfterTheIdleTimeout() async throws {
        try await ScriptedHTTPServer.withRunning(script: Self.ok) { server in
            let transport = HTTP1Transport(pool: HTTP1ConnectionPool(idleTimeout: .milliseconds(100)))
            _ = try await transport.send(Self.post(server.baseURL + "/hook"))
            try await eventually { server.openConnections == 0 }
            // The pool drops the closed connection and opens another.
            _ = try await transport.send(Self.post(server.baseURL + "/hook"))
            #expect(server.connections == 2)
        }
    }

    @Test func httpsGoesThroughTheSecureTransport() async throws {
        let secure = RecordingTransport()
        let response = try await HTTP1Transport(pool: HTTP1ConnectionPool(), secure: secure).send(
            Self.post("https://hooks.example.com/in"))
        #expect(response.status == 299)
        #expect(secure.urls == ["https://hooks.example.com/in"])
    }

    final class RecordingTransport: HTTPTransport {
        private let seen = Mutex<[String]>([])
        var urls: [String] { seen.withLock { $0 } }

        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            seen.withLock { $0.append(request.url.absoluteString) }
            return HTTPResponse(status: 299)
        }
    }
}
