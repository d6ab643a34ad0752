import Foundation
import NIOCore
import NIOHTTP1

/// The webhook lanes' `HTTPTransport`: plain-HTTP destinations go over a lean keep-alive HTTP/1.1 client on
/// SwiftNIO (one request per connection at a time, no pipelining), `https` ones through
/// ``AsyncHTTPClientTransport`` (TLS, certificate checks).
///
/// Why its own client: a delivery is one small POST and a short answer, thousands a second per destination;
/// AsyncHTTPClient's general request path (URL parsing, header validation, tracing, its connection-pool
/// state machine and several hops between NIO and Swift concurrency per request) cost about twice this
/// one's CPU per delivery. Here a request is one write to the channel and one promise back.
///
/// Same contract as every transport: redirects are returned, not followed; the request's timeout bounds the
/// whole exchange (connecting, sending, reading); a cancelled caller closes the connection. A request that
/// finds its reused keep-alive connection already closed by the server, before any byte of an answer, is
/// sent once more on a fresh connection (a receiver may then see it twice, which at-least-once delivery
/// allows: `webhook-id` is the same). A request that could not connect at all fails with `notConnected`.
/// Response bodies are kept up to 64 KiB (they only feed error messages).
public struct HTTP1Transport: HTTPTransport {
    private static let sharedPool = HTTP1ConnectionPool()

    private let pool: HTTP1ConnectionPool
    private let secure: any HTTPTransport

    /// A transport over the process-wide connection pool; `https` requests go to `secure`.
    public init(secure: any HTTPTransport = AsyncHTTPClientTransport()) {
        self.init(pool: Self.sharedPool, secure: secure)
    }

    init(pool: HTTP1ConnectionPool, secure: any HTTPTransport = AsyncHTTPClientTransport()) {
        self.pool = pool
        self.secure = secure
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard request.url.scheme?.lowercased() == "http" else { return try await secure.send(request) }
        guard let host = request.url.host, !host.isEmpty else {
            throw HTTPTransportError.connection("no host in \(request.url.absoluteString)")
        }
        let port = request.url.port ?? 80
        let endpoint = HTTP1ConnectionPool.Endpoint(host: host, port: port)
        let head = Self.head(of: request, host: host, port: port)
        let body = request.body.map { ByteBuffer(bytes: $0) }
        let (seconds, attoseconds) = request.timeout.components
        let deadline = NIODeadline.now() + .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        do {
            var attempt = 0
            while true {
                attempt += 1
                let channel: any Channel
                let reused: Bool
                do {
                    (channel, reused) = try await pool.connection(to: endpoint, deadline: deadline)
                } catch let error where attempt == 1 {
                    // Nothing was written anywhere. (A second attempt follows a request that may have arrived.)
                    throw HTTPTransportError.notConnected(String(describing: error))
                }
                do {
                    let outcome = try await exchange(head: head, body: body, deadline: deadline, on: channel)
                    if outcome.reusable {
                        pool.release(channel, to: endpoint)
                    } else {
                        channel.close(promise: nil)
                    }
                    return outcome.response
                } catch HTTP1ExchangeHandler.Failure.connection(_, responseStarted: false)
                    where reused && attempt == 1 && !Task.isCancelled
                {
                    continue  // the server had closed the idle connection: one fresh try
                }
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw Self.transportError(error)
        }
    }

    /// Writes one exchange to `channel` and waits for its outcome; cancellation closes the connection.
    private func exchange(
        head: HTTPRequestHead, body: ByteBuffer?, deadline: NIODeadline, on channel: any Channel
    ) async throws -> HTTP1ExchangeHandler.Outcome {
        let promise = channel.eventLoop.makePromise(of: HTTP1ExchangeHandler.Outcome.self)
        let exchange = HTTP1ExchangeHandler.Exchange(head: head, body: body, deadline: deadline, promise: promise)
        return try await withTaskCancellationHandler {
            channel.writeAndFlush(exchange).whenFailure { error in
                // A channel closed before the write reached the handler never sees the exchange.
                promise.fail(HTTP1ExchangeHandler.Failure.connection("\(error)", responseStarted: false))
            }
            return try await promise.futureResult.get()
        } onCancel: {
            channel.close(promise: nil)
        }
    }

    /// The request head: origin-form target, `Host` and `Content-Length` (unless the request sets them), then
    /// the request's own headers.
    static func head(of request: HTTPRequest, host: String, port: Int) -> HTTPRequestHead {
        var target = request.url.path(percentEncoded: true)
        if target.isEmpty { target = "/" }
        if let query = request.url.query(percentEncoded: true) { target += "?" + query }
        var headers = HTTPHeaders()
        headers.reserveCapacity(request.headers.count + 2)
        let hostName = host.contains(":") ? "[\(host)]" : host
        if request.header("Host") == nil {
            headers.add(name: "Host", value: port == 80 ? hostName : "\(hostName):\(port)")
        }
        if request.header("Content-Length") == nil {
            headers.add(name: "Content-Length", value: String(request.body?.count ?? 0))
        }
        for (name, value) in request.headers {
            headers.add(name: name, value: value)
        }
        return HTTPRequestHead(
            version: .http1_1, method: NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue), uri: target,
            headers: headers)
    }

    /// The transport's error for a failed connect or exchange.
    static func transportError(_ error: any Error) -> HTTPTransportError {
        switch error {
        case let error as HTTPTransportError:
            return error
        case HTTP1ExchangeHandler.Failure.timedOut, ChannelError.connectTimeout:
            return .timedOut
        case HTTP1ExchangeHandler.Failure.connection(let reason, _):
            return .connection(reason)
        default:
            return .connection(String(describing: error))
        }
    }
}
