import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A webhook receiver on a local port, the other end of a delivery lane, for end-to-end tests and the
/// delivery benchmark (`intercom-webhook-sink`): verifies every delivery's Standard Webhooks signature and
/// timestamp over the exact body, counts acknowledged deliveries per event id and per path (one path per
/// destination: `/hook`, `/hook/crm`, …), and can be told to fail, hang or be slow while it reports how many
/// requests are in flight.
public final class WebhookReceiver: Sendable {
    /// What one path (one destination) has acknowledged.
    public struct PathFigures: Sendable, Equatable {
        /// 2xx answers.
        public var acknowledged = 0
        /// Wall-clock times (Unix seconds) of the first and the last 2xx answer.
        public var firstAt: Double?
        public var lastAt: Double?
        /// Wall-clock time of the first 2xx answer per event id.
        public var firstAcknowledgedAt: [String: Double] = [:]
    }

    /// What the sink has seen so far.
    public struct Snapshot: Sendable {
        /// 2xx answers per event id (body `id`, equal to `webhook-id`).
        public var acknowledged: [String: Int] = [:]
        /// Requests per event id, whatever the answer.
        public var received: [String: Int] = [:]
        /// Deliveries that failed verification, with the reason; answered 400.
        public var rejected: [String] = []
        public var inFlight = 0
        public var maxInFlight = 0
        /// Wall-clock time (Unix seconds) of the first 2xx answer per event id.
        public var firstAcknowledgedAt: [String: Double] = [:]
        /// Figures per request path.
        public var paths: [String: PathFigures] = [:]

        /// Requests received, every attempt counted.
        public var requestCount: Int { received.values.reduce(0, +) }

        /// What `GET /__stats` answers: requests, rejections, in-flight peak and the per-path figures (with
        /// each event's first-acknowledged time when `times` and the receiver records them).
        public func jsonObject(times: Bool = true) -> [String: Any] {
            var paths: [String: Any] = [:]
            for (path, figures) in self.paths {
                var entry: [String: Any] = ["acknowledged": figures.acknowledged]
                if times { entry["first_acknowledged_at"] = figures.firstAcknowledgedAt }
                if let first = figures.firstAt { entry["first_at"] = first }
                if let last = figures.lastAt { entry["last_at"] = last }
                paths[path] = entry
            }
            return [
                "requests": requestCount, "rejected": rejected.count, "rejections": Array(rejected.prefix(10)),
                "max_in_flight": maxInFlight, "paths": paths,
            ]
        }
    }

    private struct State: Sendable {
        var snapshot = Snapshot()
        var mode: WebhookReceiverMode
        var stopping = false
        var port = 0
    }

    private let verifier: StandardWebhookVerifier
    private let state: Mutex<State>

    private init(secret: String, mode: WebhookReceiverMode, recordsTimes: Bool) {
        verifier = StandardWebhookVerifier(secret: secret)
        state = Mutex(State(mode: mode))
        self.recordsTimes = recordsTimes
    }

    /// Whether first-acknowledged times are kept per event id (the benchmark's latency; memory per event).
    private let recordsTimes: Bool

    /// Where to point a `[[destination]]`.
    public var url: String { "http://127.0.0.1:\(port)/hook" }

    /// The port it listens on.
    public var port: Int { state.withLock { $0.port } }

    /// A copy of the counters.
    public var snapshot: Snapshot { state.withLock { $0.snapshot } }

    /// Changes how later (and hanging) requests are answered.
    public func setMode(_ mode: WebhookReceiverMode) {
        state.withLock { $0.mode = mode }
    }

    /// Starts a sink verifying with `secret` (`whsec_…`), runs `body`, releases hanging requests, then shuts
    /// the server down and waits until it has stopped.
    ///
    /// - Parameters:
    ///   - host: the address to listen on; `port` 0 picks a free one.
    ///   - recordsTimes: keep each event's first-acknowledged time (``Snapshot/firstAcknowledgedAt`` and the
    ///     per-path figures); off, memory stays flat for long runs.
    ///   - executor: where the server's tasks (and `body`) run: by default threads of their own, so the
    ///     receiver answers in time however busy the test process's cooperative pool is; `nil` runs on the pool
    ///     (the `intercom-webhook-sink` command, a process of its own).
    public static func withRunning<T: Sendable>(
        secret: String, mode: WebhookReceiverMode = .accept, host: String = "127.0.0.1", port: Int = 0,
        recordsTimes: Bool = true, executor: DedicatedExecutor? = .receivers,
        _ body: (WebhookReceiver) async throws -> T
    ) async throws -> T {
        guard let executor else {
            return try await serve(secret: secret, mode: mode, host: host, port: port, recordsTimes: recordsTimes, body)
        }
        return try await executor.run {
            try await serve(secret: secret, mode: mode, host: host, port: port, recordsTimes: recordsTimes, body)
        }
    }

    private static func serve<T: Sendable>(
        secret: String, mode: WebhookReceiverMode, host: String, port: Int, recordsTimes: Bool,
        _ body: (WebhookReceiver) async throws -> T
    ) async throws -> T {
        let sink = WebhookReceiver(secret: secret, mode: mode, recordsTimes: recordsTimes)
        let quiet = Logger(label: "webhook-receiver", factory: { _ in SwiftLogNoOpLogHandler() })
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 64 << 20)
            return await sink.handle(request.headers, body: Array(buffer: body), path: "/hook")
        }
        router.get("/__stats") { request, _ -> Response in
            // `?times=0` leaves out the per-event times: cheap enough to poll while deliveries run.
            let times = request.uri.queryParameters["times"] != "0"
            let object = sink.snapshot.jsonObject(times: times)
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(bytes: data)))
        }
        router.post("/hook/{name}") { request, context -> Response in
            let body = try await request.body.collect(upTo: 64 << 20)
            let path = "/hook/" + (context.parameters.get("name") ?? "")
            return await sink.handle(request.headers, body: Array(buffer: body), path: path)
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port)),
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
                result = .failure(WebhookReceiverError.noPort)
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

    private func handle(_ headers: HTTPFields, body: [UInt8], path: String) async -> Response {
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
            let recordsTimes = self.recordsTimes
            state.withLock {
                $0.snapshot.acknowledged[eventID, default: 0] += 1
                // In place: a copy of the figures out of the dictionary would copy every recorded time per request.
                $0.snapshot.paths[path, default: PathFigures()].acknowledged += 1
                if $0.snapshot.paths[path]?.firstAt == nil { $0.snapshot.paths[path]?.firstAt = now }
                $0.snapshot.paths[path]?.lastAt = now
                if recordsTimes {
                    if $0.snapshot.firstAcknowledgedAt[eventID] == nil {
                        $0.snapshot.firstAcknowledgedAt[eventID] = now
                    }
                    if $0.snapshot.paths[path]?.firstAcknowledgedAt[eventID] == nil {
                        $0.snapshot.paths[path]?.firstAcknowledgedAt[eventID] = now
                    }
                }
            }
            return Response(status: .ok)
        }
    }

    private static let webhookID = HTTPField.Name("webhook-id")!
    private static let webhookTimestamp = HTTPField.Name("webhook-timestamp")!
    private static let webhookSignature = HTTPField.Name("webhook-signature")!

    private static let envelopeHead = Array(#"{"type":"notification_event","id":""#.utf8)

    /// The envelope's top-level `id`: read straight off the daemon's fixed key order when the body starts that
    /// way (the benchmark's cost per request), else parsed.
    private static func eventID(in body: [UInt8]) -> String? {
        if body.starts(with: envelopeHead), let end = body[envelopeHead.count...].firstIndex(of: UInt8(ascii: "\"")) {
            return String(decoding: body[envelopeHead.count..<end], as: UTF8.self)
        }
        return parsedEventID(in: body)
    }

    private static func parsedEventID(in body: [UInt8]) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        return object?["id"] as? String
    }
}
