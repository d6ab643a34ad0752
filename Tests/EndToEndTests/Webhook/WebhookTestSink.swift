import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// An in-process webhook receiver on 127.0.0.1 (port 0) for end-to-end tests: verifies every delivery's
/// Standard Webhooks signature and timestamp over the exact body, counts acknowledged deliveries per event id,
/// and can be told to fail, hang or be slow while it reports how many requests are in flight.
final class WebhookTestSink: Sendable {
    /// What the sink has seen so far.
    struct Snapshot: Sendable {
        /// 2xx answers per event id (body `id`, equal to `webhook-id`).
        var acknowledged: [String: Int] = [:]
        /// Requests per event id, whatever the answer.
        var received: [String: Int] = [:]
        /// Deliveries that failed verification, with the reason; answered 400.
        var rejected: [String] = []
        var inFlight = 0
        var maxInFlight = 0
        /// Wall-clock time (Unix seconds) of the first 2xx answer per event id.
        var firstAcknowledgedAt: [String: Double] = [:]

        /// Requests received, every attempt counted.
        var requestCount: Int { received.values.reduce(0, +) }
    }

    private struct State: Sendable {
        var snapshot = Snapshot()
        var mode: WebhookTestSinkMode
        var stopping = false
        var port = 0
    }

    private let verifier: StandardWebhookVerifier
    private let state: Mutex<State>

    private init(secret: String, mode: WebhookTestSinkMode) {
        verifier = StandardWebhookVerifier(secret: secret)
        state = Mutex(State(mode: mode))
    }

    /// Where to point a `[[destination]]`.
    var url: String { "http://127.0.0.1:\(state.withLock { $0.port })/hook" }

    /// A copy of the counters.
    var snapshot: Snapshot { state.withLock { $0.snapshot } }

    /// Changes how later (and hanging) requests are answered.
    func setMode(_ mode: WebhookTestSinkMode) {
        state.withLock { $0.mode = mode }
    }

    /// Starts a sink verifying with `secret` (`whsec_…`), runs `body`, releases hanging requests, then shuts
    /// the server down and waits until it has stopped.
    static func withRunning<T: Sendable>(
        secret: String, mode: WebhookTestSinkMode = .accept, _ body: (WebhookTestSink) async throws -> T
    ) async throws -> T {
        let sink = WebhookTestSink(secret: secret, mode: mode)
        let quiet = Logger(label: "webhook-test-sink", factory: { _ in SwiftLogNoOpLogHandler() })
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 64 << 20)
            return await sink.handle(request.headers, body: Array(buffer: body))
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: quiet)
        let group = ServiceGroup(configuration: .init(services: [application], logger: quiet))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { portContinuation.finish() }
                try await group.run()
            }
            var bound = 0
            for await port in ports {
                bound = port
                break
            }
            let result: Result<T, any Error>
            if bound > 0 {
                sink.state.withLock { $0.port = bound }
                do {
                    result = .success(try await body(sink))
                } catch {
                    result = .failure(error)
                }
            } else {
                result = .failure(WebhookTestSinkError.noPort)
            }
            sink.state.withLock { $0.stopping = true }
            await group.triggerGracefulShutdown()
            do {
                try await tasks.waitForAll()
            } catch {
                if case .success = result { throw error }
            }
            return try result.get()
        }
    }

    private func handle(_ headers: HTTPFields, body: [UInt8]) async -> Response {
        let eventID = Self.eventID(in: body) ?? "?"
        state.withLock {
            $0.snapshot.received[eventID, default: 0] += 1
            $0.snapshot.inFlight += 1
            $0.snapshot.maxInFlight = max($0.snapshot.maxInFlight, $0.snapshot.inFlight)
        }
        defer { state.withLock { $0.snapshot.inFlight -= 1 } }
        var problem: String?
        do {
            try verifier.verify(
                id: headers[Self.webhookID], timestamp: headers[Self.webhookTimestamp],
                signatureHeader: headers[Self.webhookSignature], body: body,
                now: Int(Date().timeIntervalSince1970))
            if headers[Self.webhookID] != eventID {
                problem = "webhook-id \(headers[Self.webhookID] ?? "") is not the body's id \(eventID)"
            } else if headers[.contentType]?.hasPrefix("application/json") != true {
                problem = "Content-Type is \(headers[.contentType] ?? "missing")"
            }
        } catch {
            problem = "\(error)"
        }
        if let problem {
            state.withLock { $0.snapshot.rejected.append("\(eventID): \(problem)") }
            return Response(status: .badRequest)
        }
        var mode = state.withLock { $0.mode }
        if case .slow(let delay) = mode {
            try? await Task.sleep(for: delay)
            mode = .accept
        }
        while mode == .hang {
            try? await Task.sleep(for: .milliseconds(20))
            mode = state.withLock { $0.stopping ? .fail(status: 503) : $0.mode }
        }
        switch mode {
        case .fail(let status):
            return Response(status: .init(code: status))
        case .accept, .slow, .hang:
            let now = Date().timeIntervalSince1970
            state.withLock {
                $0.snapshot.acknowledged[eventID, default: 0] += 1
                if $0.snapshot.firstAcknowledgedAt[eventID] == nil { $0.snapshot.firstAcknowledgedAt[eventID] = now }
            }
            return Response(status: .ok)
        }
    }

    private static let webhookID = HTTPField.Name("webhook-id")!
    private static let webhookTimestamp = HTTPField.Name("webhook-timestamp")!
    private static let webhookSignature = HTTPField.Name("webhook-signature")!

    /// The envelope's top-level `id`.
    private static func eventID(in body: [UInt8]) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        return object?["id"] as? String
    }
}
