import Hummingbird
import Logging
import ServiceLifecycle

/// The `[metrics] listen` endpoint as a swift-service-lifecycle `Service`: a Hummingbird server answering
/// `GET /metrics` (Prometheus text format) and `GET /healthz` (200 `ok`, or 503 with the reasons) from a
/// ``MetricsSource``, until graceful shutdown.
///
/// A listen address that cannot be bound fails the service (and so the daemon) at start: a configured
/// endpoint that silently is not there would hide the daemon from its monitoring.
public final class MetricsServer: Service {
    /// The `Content-Type` of `/metrics`: the Prometheus text exposition format.
    public static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Where it listens (port 0: a port the system chooses, see ``port()``).
    public let listen: DaemonConfiguration.Metrics.Listen
    private let source: any MetricsSource
    private let logger: Logger
    private let bound = ReadyValue<Int>()

    /// - Parameters:
    ///   - listen: the address to bind.
    ///   - source: the figures to serve.
    ///   - logger: for the start line and scrape errors.
    public init(listen: DaemonConfiguration.Metrics.Listen, source: any MetricsSource, logger: Logger) {
        self.listen = listen
        self.source = source
        self.logger = logger
    }

    /// Waits until the server listens and returns the port it bound; throws if it failed to bind or stopped
    /// first.
    public func port() async throws -> Int { try await bound.wait() }

    /// Serves until graceful shutdown (or cancellation); throws ``MetricsServerError/cannotListen(address:reason:)``
    /// when the address cannot be bound.
    public func run() async throws {
        let address = listen.description
        // Hummingbird's own start and stop lines would be info chatter: keep its warnings and errors only.
        var serverLogger = logger
        serverLogger.logLevel = max(logger.logLevel, .warning)
        let application = Application(
            router: Self.router(source: source, logger: logger),
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: nil),
            onServerRunning: { [bound, logger] channel in
                let port = channel.localAddress?.port ?? 0
                bound.succeed(port)
                logger.info("metrics endpoint listening", metadata: ["address": "\(address)", "port": "\(port)"])
            },
            logger: serverLogger)
        do {
            try await application.run()
        } catch {
            let failure = MetricsServerError.cannotListen(address: address, reason: String(describing: error))
            bound.fail(failure)
            throw failure
        }
        bound.fail(MetricsServerError.stoppedBeforeListening(address: address))
    }

    /// `GET /metrics` and `GET /healthz`; anything else is 404.
    static func router(source: any MetricsSource, logger: Logger) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("metrics") { _, _ -> Response in
            do {
                let bytes = try await source.exposition()
                return Response(
                    status: .ok, headers: [.contentType: metricsContentType],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
            } catch {
                logger.error("cannot read the metrics", metadata: ["error": "\(error)"])
                return text(500, "cannot read the metrics: \(error)\n")
            }
        }
        router.get("healthz") { _, _ -> Response in
            do {
                let verdict = try await source.health()
                return text(verdict.statusCode, verdict.body)
            } catch {
                return text(503, "cannot read the daemon's state: \(error)\n")
            }
        }
        return router
    }

    private static func text(_ status: Int, _ body: String) -> Response {
        Response(
            status: .init(code: status), headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
