import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Keep-alive HTTP/1.1 connections per host and port for ``HTTP1Transport``: a request takes an idle one or
/// opens a new one, and gives it back when the response allowed reuse. There is no cap on connections per
/// host: each delivery lane already bounds how many requests it has in flight (its `concurrency`).
///
/// Idle connections close themselves after `idleTimeout` (``HTTP1ExchangeHandler``); a closed one found in
/// the pool is dropped. At most `maximumIdlePerHost` wait per host; more are closed on release.
final class HTTP1ConnectionPool: Sendable {
    /// Where a connection goes.
    struct Endpoint: Hashable, Sendable {
        var host: String
        var port: Int
    }

    private let group: any EventLoopGroup
    private let idleTimeout: TimeAmount
    private let maximumIdlePerHost: Int
    private let idle = Mutex<[Endpoint: [any Channel]]>([:])

    init(
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, idleTimeout: TimeAmount = .seconds(60),
        maximumIdlePerHost: Int = 64
    ) {
        self.group = group
        self.idleTimeout = idleTimeout
        self.maximumIdlePerHost = maximumIdlePerHost
    }

    /// An open connection to `endpoint`, and whether it was reused (it may have been closed by the server
    /// since, which a request only finds out by trying).
    func connection(to endpoint: Endpoint, deadline: NIODeadline) async throws -> (channel: any Channel, reused: Bool) {
        while let channel = idle.withLock({ $0[endpoint]?.popLast() }) {
            if channel.isActive { return (channel, true) }
        }
        let idleTimeout = self.idleTimeout
        let remaining = deadline - .now()
        guard remaining > .zero else { throw HTTP1ExchangeHandler.Failure.timedOut }
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(remaining)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(HTTP1ExchangeHandler(idleTimeout: idleTimeout))
                }
            }
        return (try await bootstrap.connect(host: endpoint.host, port: endpoint.port).get(), false)
    }

    /// Gives back a connection whose last response allowed reuse.
    func release(_ channel: any Channel, to endpoint: Endpoint) {
        let kept = idle.withLock { idle in
            guard channel.isActive, idle[endpoint, default: []].count < maximumIdlePerHost else { return false }
            idle[endpoint, default: []].append(channel)
            return true
        }
        if !kept { channel.close(promise: nil) }
    }

    /// How many idle connections wait for `endpoint`.
    func idleCount(for endpoint: Endpoint) -> Int {
        idle.withLock { $0[endpoint]?.count ?? 0 }
    }
}
