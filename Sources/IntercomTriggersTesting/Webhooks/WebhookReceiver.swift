import Foundation
import HTTPTypes
import Hummingbird
import IntercomTriggers
import Logging
import ServiceLifecycle
import Synchronization

/// A webhook receiver on a local port, the other end of a delivery lane, for tests and the delivery benchmark
/// (`intercom-webhook-sink`): verifies every delivery's Standard Webhooks signature and timestamp over the exact
/// body (``StandardWebhookVerifier``, written from the spec rather than reusing the daemon's signer), its
/// `Content-Type` and `User-Agent`; counts acknowledged deliveries per event id and per path (one path per
/// destination: `/hook`, `/hook/crm`, …); keeps every request when asked; and answers per its
/// ``WebhookReceiverMode`` — or per a test's ``Respond`` closure — while it reports how many requests are in
/// flight. A request that fails verification is answered 400 and listed in ``Snapshot/rejected``.
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

    /// One request as received (kept when the receiver records requests).
    public struct Request: Sendable {
        public var path: String
        public var headers: HTTPFields
        public var body: Data
        /// Why verification failed, `nil` when the request is a good delivery.
        public var problem: String?

        /// The envelope's `id`.
        public var eventID: String? { WebhookReceiver.eventID(in: Array(body)) }

        /// The value of header `name`.
        public func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }
    }

    /// How to answer one request, when a test decides it request by request.
    public enum Reply: Sendable {
        case status(Int, headers: [String: String] = [:], body: String = "")
        /// Holds the request until ``releaseHanging()`` (or the receiver stops), then answers 200.
        case hang
    }

    /// A test's answer to request number `index` (0 = the first), instead of the mode.
    public typealias Respond = @Sendable (_ request: Request, _ index: Int) async -> Reply

    /// The signing secret tests use unless they say otherwise.
    public static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    /// The `User-Agent` every delivery must carry.
    public static let userAgent = "intercom-triggerd/\(IntercomTriggers.version)"

    private struct State: Sendable {
        var snapshot = Snapshot()
        var requests: [Request] = []
        var mode: WebhookReceiverMode
        var released = false
        var stopping = false
        var port = 0
        /// Requests received so far: the next one's index for a ``Respond`` closure, recorded or not.
        var received = 0

        /// The mode for the next request: ``WebhookReceiverMode/hangAfter(acknowledged:)`` is `hang` once
        /// that many events are acknowledged, `accept` before.
        var effectiveMode: WebhookReceiverMode {
            guard case .hangAfter(let count) = mode else { return mode }
            return snapshot.acknowledged.count >= count ? .hang : .accept
        }
    }

    private let verifier: StandardWebhookVerifier
    private let state: Mutex<State>
    /// Notified when the receiver stops: slow answers still pending end at once (their lane is gone).
    private let stopped = OutboxSignal()
    private let now: @Sendable () -> Int
    private let respond: Respond?
    /// Whether first-acknowledged times are kept per event id (the benchmark's latency; memory per event).
    private let recordsTimes: Bool
    /// Whether every request is kept (headers and body) for ``requests``.
    private let recordsRequests: Bool

    private init(
        secret: String, mode: WebhookReceiverMode, now: @escaping @Sendable () -> Int, respond: Respond?,
        recordsTimes: Bool, recordsRequests: Bool
    ) {
        verifier = StandardWebhookVerifier(secret: secret)
        state = Mutex(State(mode: mode))
        self.now = now
        self.respond = respond
        self.recordsTimes = recordsTimes
        self.recordsRequests = recordsRequests
    }

    /// Where to point a `[[destination]]` (`/hook`).
    public var url: URL { URL(string: "http://127.0.0.1:\(port)/hook")! }

    /// The port it listens on.
    public var port: Int { state.withLock { $0.port } }

    /// A copy of the counters.
    public var snapshot: Snapshot { state.withLock { $0.snapshot } }

    /// Every request so far, in arrival order (empty unless the receiver records requests).
    public var requests: [Request] { state.withLock { $0.requests } }

    /// Every verification failure so far.
    public var problems: [String] { snapshot.rejected }

    /// Requests being answered now.
    public var inFlight: Int { snapshot.inFlight }

    /// The most requests in flight at once so far.
    public var maxInFlight: Int { snapshot.maxInFlight }

    /// Changes how later (and hanging) requests are answered.
    public func setMode(_ mode: WebhookReceiverMode) {
        state.withLock { $0.mode = mode }
    }

    /// Lets every request a ``Respond`` closure holds with ``Reply/hang`` (and later ones) answer 200.
    public func releaseHanging() {
        state.withLock { $0.released = true }
    }

    /// Starts a receiver, runs `body`, releases hanging requests, then shuts the server down and waits until it
    /// has stopped.
    ///
    /// - Parameters:
    ///   - secret: the destinations' signing secret (`whsec_…`).
    ///   - mode: how requests are answered (until ``setMode(_:)``), unless `respond` decides.
    ///   - host: the address to listen on; `port` 0 picks a free one.
    ///   - now: the receiver's clock for the timestamp check (a test's fake clock, when the lane signs with it).
    ///   - respond: a test's answer per request, instead of the mode.
    ///   - recordsTimes: keep each event's first-acknowledged time (``Snapshot/firstAcknowledgedAt`` and the
    ///     per-path figures); off, memory stays flat for long runs.
    ///   - recordsRequests: keep every request (``requests``); off for long runs.
    ///   - executor: where the server's tasks (and `body`) run: by default threads of their own, so the
    ///     receiver answers in time however busy the test process's cooperative pool is; `nil` runs on the pool
    ///     (the `intercom-webhook-sink` command, a process of its own).
    public static func withRunning<T: Sendable>(
        secret: String = WebhookReceiver.secret, mode: WebhookReceiverMode = .accept, host: String = "127.0.0.1",
        port: Int = 0, now: @escaping @Sendable () -> Int = { Int(Date().timeIntervalSince1970) },
        respond: Respond? = nil, recordsTimes: Bool = true, recordsRequests: Bool = true,
        executor: DedicatedExecutor? = .receivers, _ body: (WebhookReceiver) async throws -> T
    ) async throws -> T {
        let receiver = WebhookReceiver(
            secret: secret, mode: mode, now: now, respond: respond, recordsTimes: recordsTimes,
            recordsRequests: recordsRequests)
        guard let executor else { return try await receiver.serve(host: host, port: port, body) }
        return try await executor.run { try await receiver.serve(host: host, port: port, body) }
    }

    private func serve<T: Sendable>(
        host: String, port: Int, _ body: (WebhookReceiver) async throws -> T
    ) async throws -> T {
        let quiet = Logger(label: "webhook-receiver", factory: { _ in SwiftLogNoOpLogHandler() })
        let router = Router()
        router.get("/__stats") { [self] request, _ -> Response in
            // `?times=0` leaves out the per-event times: cheap enough to poll while deliveries run.
            let times = request.uri.queryParameters["times"] != "0"
            let object = snapshot.jsonObject(times: times)
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(bytes: data)))
        }
        router.post("**") { [self] request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 64 << 20)
            return await handle(path: request.uri.path, headers: request.headers, body: Array(buffer: bytes))
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
                state.withLock { $0.port = bound }
                do {
                    result = .success(try await body(self))
                } catch {
                    result = .failure(error)
                }
            } else {
                result = .failure(WebhookReceiverError.noPort)
            }
            state.withLock {
                $0.stopping = true
                $0.released = true
            }
            stopped.notify()
            await group.triggerGracefulShutdown()
            do {
                try await tasks.waitForAll()
            } catch {
                if case .success = result { throw error }
            }
            return try result.get()
        }
    }

    private func handle(path: String, headers: HTTPFields, body: [UInt8]) async -> Response {
        let eventID = Self.eventID(in: body) ?? "?"
        let problem = verify(headers, body: body, eventID: eventID)
        // Built once, and only when something keeps or reads it (long runs record nothing).
        let request =
            recordsRequests || respond != nil
            ? Request(path: path, headers: headers, body: Data(body), problem: problem) : nil
        let index = state.withLock { state in
            state.snapshot.received[eventID, default: 0] += 1
            state.snapshot.inFlight += 1
            state.snapshot.maxInFlight = max(state.snapshot.maxInFlight, state.snapshot.inFlight)
            if let problem { state.snapshot.rejected.append("\(eventID): \(problem)") }
            if recordsRequests, let request { state.requests.append(request) }
            state.received += 1
            return state.received - 1
        }
        defer { state.withLock { $0.snapshot.inFlight -= 1 } }
        if problem != nil { return Response(status: .badRequest) }
        if let respond, let request {
            let reply = await respond(request, index)
            switch reply {
            case .hang:
                while !state.withLock({ $0.released }) { try? await Task.sleep(for: .milliseconds(20)) }
                return acknowledge(eventID, path: path, status: 200)
            case .status(let code, let headers, let text):
                var fields = HTTPFields()
                for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
                let response = acknowledge(eventID, path: path, status: code)
                return Response(
                    status: response.status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
            }
        }
        var mode = state.withLock { $0.effectiveMode }
        if case .slow(let delay) = mode {
            // The delay, or less when the receiver stops first: then nobody waits for the answer.
            let stopped = self.stopped
            let interrupted = await withTaskGroup(of: Bool.self) { group in
                group.addTask { (try? await Task.sleep(for: delay)) == nil }
                group.addTask {
                    await stopped.wait(since: 0)
                    return true
                }
                defer { group.cancelAll() }
                return await group.next() ?? true
            }
            mode = interrupted ? .fail(status: 503) : .accept
        }
        while mode == .hang {
            try? await Task.sleep(for: .milliseconds(20))
            mode = state.withLock { $0.stopping ? .fail(status: 503) : $0.effectiveMode }
        }
        switch mode {
        case .fail(let status):
            return acknowledge(eventID, path: path, status: status)
        case .accept, .slow, .hang, .hangAfter:
            return acknowledge(eventID, path: path, status: 200)
        }
    }

    /// Answers `status`, counting a 2xx as acknowledged.
    private func acknowledge(_ eventID: String, path: String, status: Int) -> Response {
        guard (200..<300).contains(status) else { return Response(status: .init(code: status)) }
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
        return Response(status: .init(code: status))
    }

    /// Why the request is not a good delivery, or `nil`.
    private func verify(_ headers: HTTPFields, body: [UInt8], eventID: String) -> String? {
        do {
            try verifier.verify(
                id: headers[Self.webhookID], timestamp: headers[Self.webhookTimestamp],
                signatureHeader: headers[Self.webhookSignature], body: body, now: now())
        } catch {
            return "\(error)"
        }
        if headers[Self.webhookID] != eventID {
            return "webhook-id \(headers[Self.webhookID] ?? "") is not the body's id \(eventID)"
        }
        // A CloudEvent (`format = "cloudevents"`) comes in structured mode; every other body is an envelope.
        let contentType = body.starts(with: Self.cloudEventHead) ? "application/cloudevents+json" : "application/json"
        if headers[.contentType] != contentType {
            return "Content-Type is \(headers[.contentType] ?? "missing")"
        }
        if headers[.userAgent] != Self.userAgent {
            return "User-Agent is \(headers[.userAgent] ?? "missing")"
        }
        return nil
    }

    private static let webhookID = HTTPField.Name("webhook-id")!
    private static let webhookTimestamp = HTTPField.Name("webhook-timestamp")!
    private static let webhookSignature = HTTPField.Name("webhook-signature")!

    private static let envelopeHead = Array(#"{"type":"notification_event","id":""#.utf8)
    private static let cloudEventHead = Array(#"{"specversion":"#.utf8)

    /// The envelope's top-level `id`: read straight off the daemon's fixed key order when the body starts that
    /// way (the benchmark's cost per request), else parsed.
    static func eventID(in body: [UInt8]) -> String? {
        if body.starts(with: envelopeHead), let end = body[envelopeHead.count...].firstIndex(of: UInt8(ascii: "\"")) {
            return String(decoding: body[envelopeHead.count..<end], as: UTF8.self)
        }
        let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        return object?["id"] as? String
    }
}
