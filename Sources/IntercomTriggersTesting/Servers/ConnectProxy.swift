import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A small HTTP proxy on 127.0.0.1 (port 0) for transport tests. `CONNECT host:port` opens a tunnel: it
/// answers `200 Connection established` and splices bytes both ways. A request in absolute form
/// (`GET http://host:port/path`) is passed on as it is to that host, whose later requests on the same client
/// connection follow it (one origin per client connection). With credentials set it demands
/// `Proxy-Authorization: Basic …` and answers `407` to anything else. It records every CONNECT target, every
/// forwarded request's target and every refusal.
public final class ConnectProxy: Sendable {
    private struct State {
        var connectTargets: [String] = []
        var forwardedTargets: [String] = []
        var refusals = 0
    }

    private let state = Mutex(State())
    private let expectedAuthorization: String?
    private let channel = Mutex<(any Channel)?>(nil)

    private init(credentials: (user: String, password: String)?) {
        expectedAuthorization = credentials.map {
            "Basic " + Data("\($0.user):\($0.password)".utf8).base64EncodedString()
        }
    }

    /// The port it listens on.
    public var port: Int { channel.withLock { $0?.localAddress?.port ?? 0 } }
    /// `http://127.0.0.1:PORT`.
    public var url: String { "http://127.0.0.1:\(port)" }
    /// `http://USER:PASSWORD@127.0.0.1:PORT`.
    public func url(user: String, password: String) -> String { "http://\(user):\(password)@127.0.0.1:\(port)" }
    /// The `host:port` of every tunnel opened (one per CONNECT accepted), in order.
    public var connectTargets: [String] { state.withLock { $0.connectTargets } }
    /// How many tunnels were opened.
    public var tunnels: Int { connectTargets.count }
    /// The absolute-form targets of the plain requests passed on, in order.
    public var forwardedTargets: [String] { state.withLock { $0.forwardedTargets } }
    /// Requests answered `407` for missing or wrong credentials.
    public var refusals: Int { state.withLock { $0.refusals } }

    /// Starts a proxy (demanding `credentials` when given), runs `body`, then closes the proxy.
    public static func withRunning<T: Sendable>(
        credentials: (user: String, password: String)? = nil, _ body: (ConnectProxy) async throws -> T
    ) async throws -> T {
        let proxy = ConnectProxy(credentials: credentials)
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ClientSide(proxy: proxy))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        proxy.channel.withLock { $0 = listener }
        do {
            let result = try await body(proxy)
            try await listener.close()
            return result
        } catch {
            try? await listener.close()
            throw error
        }
    }

    private func record(connect target: String) {
        state.withLock { $0.connectTargets.append(target) }
    }

    private func record(forwarded target: String) {
        state.withLock { $0.forwardedTargets.append(target) }
    }

    private func recordRefusal() {
        state.withLock { $0.refusals += 1 }
    }

    /// A client's connection: its request head, then a tunnel (or a forwarded connection) to the target.
    private final class ClientSide: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        private enum Phase {
            case readingHead(ByteBuffer)
            /// Connecting to the target; what the client sends meanwhile waits here.
            case connecting([ByteBuffer])
            case spliced(any Channel)
            case done
        }

        private let proxy: ConnectProxy
        private var phase = Phase.readingHead(ByteBuffer())

        init(proxy: ConnectProxy) {
            self.proxy = proxy
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = unwrapInboundIn(data)
            switch phase {
            case .readingHead(var buffer):
                buffer.writeImmutableBuffer(bytes)
                phase = .readingHead(buffer)
                let text = String(decoding: buffer.readableBytesView, as: UTF8.self)
                guard let end = text.range(of: "\r\n\r\n") else { return }
                let headLength = text.utf8.distance(from: text.startIndex, to: end.upperBound)
                let head = buffer.getSlice(at: buffer.readerIndex, length: headLength)!
                let rest = buffer.getSlice(
                    at: buffer.readerIndex + headLength, length: buffer.readableBytes - headLength)!
                handle(head: String(text[..<end.lowerBound]), bytes: head, rest: rest, context: context)
            case .connecting(var pending):
                pending.append(bytes)
                phase = .connecting(pending)
            case .spliced(let peer):
                peer.writeAndFlush(bytes, promise: nil)
            case .done:
                break
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            if case .spliced(let peer) = phase { peer.close(promise: nil) }
            phase = .done
            context.fireChannelInactive()
        }

        private func handle(head: String, bytes: ByteBuffer, rest: ByteBuffer, context: ChannelHandlerContext) {
            let lines = head.components(separatedBy: "\r\n")
            let requestLine = lines[0].split(separator: " ")
            var fields: [String: String] = [:]
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                    in: .whitespaces)
            }
            guard requestLine.count == 3 else { return answer("400 Bad Request", context: context) }
            if let expected = proxy.expectedAuthorization, fields["proxy-authorization"] != expected {
                proxy.recordRefusal()
                return answer(
                    "407 Proxy Authentication Required", extra: "Proxy-Authenticate: Basic realm=\"test\"\r\n",
                    context: context)
            }
            let method = requestLine[0]
            let target = String(requestLine[1])
            if method == "CONNECT" {
                guard let colon = target.lastIndex(of: ":"), let port = Int(target[target.index(after: colon)...])
                else { return answer("400 Bad Request", context: context) }
                proxy.record(connect: target)
                let host = String(target[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                connect(host: host, port: port, first: [rest], established: true, context: context)
            } else if let url = URL(string: target), url.scheme == "http", let host = url.host {
                proxy.record(forwarded: target)
                connect(host: host, port: url.port ?? 80, first: [bytes, rest], established: false, context: context)
            } else {
                answer("400 Bad Request", context: context)
            }
        }

        /// Connects to the target, then sends it `first` and what came meanwhile; `established` answers the
        /// client's CONNECT.
        private func connect(
            host: String, port: Int, first: [ByteBuffer], established: Bool, context: ChannelHandlerContext
        ) {
            phase = .connecting(first)
            let client = context.channel
            let connected = ClientBootstrap(group: context.eventLoop)
                .channelInitializer { target in
                    target.eventLoop.makeCompletedFuture {
                        try target.pipeline.syncOperations.addHandler(TargetSide(client: client))
                    }
                }
                .connect(host: host, port: port)
            connected.hop(to: context.eventLoop).assumeIsolated().whenComplete { result in
                guard case .connecting(let pending) = self.phase else {
                    if case .success(let target) = result { target.close(promise: nil) }
                    return
                }
                switch result {
                case .failure:
                    self.answer("502 Bad Gateway", context: context)
                case .success(let target):
                    if established {
                        let line = "HTTP/1.1 200 Connection established\r\n\r\n"
                        context.writeAndFlush(self.wrapOutboundOut(ByteBuffer(string: line)), promise: nil)
                    }
                    for buffer in pending where buffer.readableBytes > 0 { target.write(buffer, promise: nil) }
                    target.flush()
                    self.phase = .spliced(target)
                }
            }
        }

        private func answer(_ status: String, extra: String = "", context: ChannelHandlerContext) {
            phase = .done
            let text = "HTTP/1.1 \(status)\r\n\(extra)Content-Length: 0\r\nConnection: close\r\n\r\n"
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text))).whenComplete { _ in
                channel.close(promise: nil)
            }
        }
    }

    /// The target's side of a splice: its bytes go to the client; its end ends the client's connection.
    private final class TargetSide: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer

        private let client: any Channel

        init(client: any Channel) {
            self.client = client
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            client.writeAndFlush(unwrapInboundIn(data), promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            client.close(promise: nil)
            context.fireChannelInactive()
        }
    }
}
