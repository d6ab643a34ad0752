import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

@testable import IntercomTriggers

/// A webhook receiver on 127.0.0.1 (port 0) for tests: records every request, verifies its Standard
/// Webhooks signature independently (Crypto, not ``WebhookSigner``) over the exact body and that its
/// timestamp is fresh, counts requests in flight, and answers as the test's `respond` says.
final class WebhookReceiver: Sendable {
    /// One request as received.
    struct Request: Sendable {
        var path: String
        var headers: HTTPFields
        var body: Data
        /// Why verification failed, `nil` when the signature and timestamp are good.
        var problem: String?

        /// The envelope's `id`.
        var eventID: String? {
            (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?["id"] as? String
        }

        func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }
    }

    /// How to answer one request.
    enum Reply: Sendable {
        case status(Int, headers: [String: String] = [:], body: String = "")
        /// Holds the request until ``releaseHanging()`` (or shutdown), then answers 200.
        case hang
    }

    typealias Respond = @Sendable (_ request: Request, _ index: Int) async -> Reply

    private struct State {
        var requests: [Request] = []
        var inFlight = 0
        var maxInFlight = 0
        var port = 0
    }

    private let secret: String
    private let now: @Sendable () -> Int
    private let respond: Respond
    private let state = Mutex(State())
    private let hangGate = OutboxSignal()

    private init(secret: String, now: @escaping @Sendable () -> Int, respond: @escaping Respond) {
        self.secret = secret
        self.now = now
        self.respond = respond
    }

    /// Where to post.
    var url: URL { URL(string: "http://127.0.0.1:\(state.withLock { $0.port })/hook")! }

    var requests: [Request] { state.withLock { $0.requests } }
    var inFlight: Int { state.withLock { $0.inFlight } }
    var maxInFlight: Int { state.withLock { $0.maxInFlight } }
    /// Every verification failure so far.
    var problems: [String] { requests.compactMap(\.problem) }

    /// Lets every hanging request (and later ones) answer 200.
    func releaseHanging() { hangGate.notify() }

    /// Starts a receiver verifying with `secret`, runs `body`, releases hanging requests and shuts down.
    static func withRunning<T: Sendable>(
        secret: String = WebhookReceiver.secret,
        now: @escaping @Sendable () -> Int = { Int(Date().timeIntervalSince1970) },
        respond: @escaping Respond = { _, _ in .status(200) }, _ body: (WebhookReceiver) async throws -> T
    ) async throws -> T {
        let receiver = WebhookReceiver(secret: secret, now: now, respond: respond)
        let quiet = Logger(label: "webhook-receiver") { _ in SwiftLogNoOpLogHandler() }
        let router = Router()
        router.post("**") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 16 << 20)
            return await receiver.handle(path: request.uri.path, headers: request.headers, body: Data(buffer: bytes))
        }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            }, logger: quiet)
        let group = ServiceGroup(configuration: .init(services: [application], logger: quiet))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { portContinuation.finish() }
                try await group.run()
            }
            var port = 0
            for await bound in ports {
                port = bound
                break
            }
            receiver.state.withLock { $0.port = port }
            let result: Result<T, any Error>
            do {
                guard port > 0 else { throw DeliveryFixture.FixtureTimeout(what: "the receiver's port") }
                result = .success(try await body(receiver))
            } catch {
                result = .failure(error)
            }
            receiver.releaseHanging()
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            return try result.get()
        }
    }

    private func handle(path: String, headers: HTTPFields, body: Data) async -> Response {
        var request = Request(path: path, headers: headers, body: body)
        request.problem = verify(request)
        let index = state.withLock { state in
            state.requests.append(request)
            state.inFlight += 1
            state.maxInFlight = max(state.maxInFlight, state.inFlight)
            return state.requests.count - 1
        }
        defer { state.withLock { $0.inFlight -= 1 } }
        switch await respond(request, index) {
        case .hang:
            await hangGate.wait(since: 0)
            return Response(status: .ok)
        case .status(let code, let headers, let text):
            var fields = HTTPFields()
            for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
            return Response(
                status: HTTPResponse.Status(code: code), headers: fields,
                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
    }

    /// Standard Webhooks verification, written from the spec rather than reusing the code under test.
    private func verify(_ request: Request) -> String? {
        guard let id = request.header("webhook-id"), let stamp = request.header("webhook-timestamp"),
            let timestamp = Int(stamp), let signatures = request.header("webhook-signature")
        else { return "missing webhook headers" }
        guard abs(now() - timestamp) <= 300 else { return "stale timestamp \(timestamp)" }
        guard request.header("Content-Type") == "application/json" else { return "wrong Content-Type" }
        guard request.header("User-Agent") == "intercom-triggerd/\(IntercomTriggers.version)" else {
            return "wrong User-Agent"
        }
        guard request.eventID == id else { return "webhook-id is not the body's id" }
        let key = SymmetricKey(data: Data(base64Encoded: String(secret.dropFirst("whsec_".count)))!)
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(id).\(timestamp).".utf8) + request.body, using: key)
        let expected = "v1," + Data(mac).base64EncodedString()
        guard signatures.split(separator: " ").contains(where: { $0 == expected }) else { return "bad signature" }
        return nil
    }

    /// The signing secret tests use unless they say otherwise.
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
}
