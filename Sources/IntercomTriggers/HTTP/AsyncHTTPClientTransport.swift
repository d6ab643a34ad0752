import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// `HTTPTransport` over AsyncHTTPClient (SwiftNIO): the Intercom client's and the webhook lanes' way to the
/// network.
///
/// Every transport shares one process-wide `HTTPClient` on NIO's singleton event loops: one connection pool
/// per host, kept alive between requests, with room for every lane's concurrency. Like `HTTPClient.shared`
/// it lives as long as the process, so transports can be made and dropped freely. Redirects are not
/// followed (the 3xx response is returned). A request is bounded as a whole by its timeout — connecting,
/// sending and reading the body — and a cancelled caller cancels its request. A request that never got a
/// connection fails with `notConnected`: the pool only hands a request to a connection once it is open.
public struct AsyncHTTPClientTransport: HTTPTransport {
    /// The largest response body read; a longer one fails the request (an API page is far smaller).
    public static let maximumBodySize = 64 << 20

    private static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        // NIO's default of 8 connections per host would cap a webhook destination's concurrency.
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    public init() {}

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let (seconds, attoseconds) = request.timeout.components
        let deadline = NIODeadline.now() + .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        do {
            let response = try await Self.client.execute(outgoing, deadline: deadline)
            let body = try await response.body.collect(upTo: Self.maximumBodySize)
            return HTTPResponse(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                body: Data(body.readableBytesView))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw Self.transportError(error)
        }
    }

    /// The transport's error for a failed request: `notConnected` only for the errors a request gets while it
    /// still waits for a connection (the pool reports the last connect failure, or a connect timeout).
    static func transportError(_ error: any Error) -> HTTPTransportError {
        switch error {
        case let error as HTTPClientError where notConnectedErrors.contains(error):
            return .notConnected(String(describing: error))
        case let error as HTTPClientError where [.deadlineExceeded, .readTimeout, .writeTimeout].contains(error):
            return .timedOut
        case ChannelError.connectTimeout, is NIOConnectionError:
            return .notConnected(String(describing: error))
        case let error as IOError where notConnectedErrnos.contains(error.errnoCode):
            return .notConnected(String(describing: error))
        default:
            return .connection(String(describing: error))
        }
    }

    private static let notConnectedErrors: [HTTPClientError] = [
        .connectTimeout, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout,
    ]

    /// Errors that only `connect(2)` reports: the server never received a byte.
    private static let notConnectedErrnos: Set<Int32> = [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL]
}
