import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A raw HTTP/1.1 server on 127.0.0.1 (port 0) for transport tests, scripted per request: answer (and keep
/// the connection or drop it silently), never answer, drop the connection without an answer, or write exact
/// bytes (``Answer/raw(_:thenClose:)``: chunked, close-delimited, 1xx, a stall after the head; see
/// `ScriptedHTTPServer+RawAnswers.swift`). It counts the connections it accepted and records every request head
/// and body.
public final class ScriptedHTTPServer: Sendable {
    /// What the server does with one request.
    public enum Answer: Sendable {
        /// Answers; `thenClose` drops the connection right after, without a `Connection: close` header (as a
        /// server timing out an idle keep-alive connection does).
        case respond(status: Int, headers: [(String, String)] = [], body: String = "", thenClose: Bool = false)
        /// Answers 200 after `delay` (without blocking the event loop).
        case respondAfter(Duration)
        /// Reads the request and never answers.
        case never
        /// Closes the connection without a byte of an answer.
        case drop
        /// Writes `bytes` as they are, bypassing the HTTP encoder, then closes the connection if `thenClose`.
        /// Otherwise the connection serves the next request as after any answer (so `bytes` should be one whole
        /// response, or one the client never finishes reading).
        case raw(Data, thenClose: Bool = false)
    }

    /// One request as received.
    public struct Received: Sendable {
        public var connection: Int
        public var head: HTTPRequestHead
        public var body: Data
    }

    public typealias Script = @Sendable (_ index: Int, _ head: HTTPRequestHead) -> Answer

    private struct State {
        var connections = 0
        var open = 0
        var received: [Received] = []
    }

    private let state = Mutex(State())
    private let script: Script
    private let channel = Mutex<(any Channel)?>(nil)

    private init(script: @escaping Script) {
        self.script = script
    }

    /// Connections accepted so far.
    public var connections: Int { state.withLock { $0.connections } }
    /// Connections open now.
    public var openConnections: Int { state.withLock { $0.open } }
    /// Requests received so far, in order.
    public var received: [Received] { state.withLock { $0.received } }
    /// Where to send requests.
    public var baseURL: String {
        "http://127.0.0.1:\(channel.withLock { $0?.localAddress?.port ?? 0 })"
    }

    /// Starts a server answering per `script`, runs `body`, then closes the server.
    public static func withRunning<T: Sendable>(
        script: @escaping Script, _ body: (ScriptedHTTPServer) async throws -> T
    ) async throws -> T {
        let server = ScriptedHTTPServer(script: script)
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let number = server.state.withLock {
                        $0.connections += 1
                        $0.open += 1
                        return $0.connections
                    }
                    // First in the pipeline (nearest the socket): writes raw answers, and swallows what the HTTP
                    // encoder writes while the handler tells the HTTP layers a raw answer is over.
                    try channel.pipeline.syncOperations.addHandler(RawWriter())
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(server: server, connection: number))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        server.channel.withLock { $0 = listener }
        do {
            let result = try await body(server)
            try await listener.close()
            return result
        } catch {
            try? await listener.close()
            throw error
        }
    }

    private func record(_ received: Received) -> Answer {
        let index = state.withLock {
            $0.received.append(received)
            return $0.received.count - 1
        }
        return script(index, received.head)
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let server: ScriptedHTTPServer
        let connection: Int
        var head: HTTPRequestHead?
        var body = Data()

        init(server: ScriptedHTTPServer, connection: Int) {
            self.server = server
            self.connection = connection
        }

        func channelInactive(context: ChannelHandlerContext) {
            server.state.withLock { $0.open -= 1 }
            context.fireChannelInactive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = Data()
            case .body(let buffer):
                body.append(contentsOf: buffer.readableBytesView)
            case .end:
                guard let head else { return }
                let answer = server.record(Received(connection: connection, head: head, body: body))
                switch answer {
                case .never:
                    break
                case .drop:
                    context.close(promise: nil)
                case .respondAfter(let delay):
                    let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                    let (seconds, attoseconds) = delay.components
                    context.eventLoop.scheduleTask(
                        in: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
                    ) {
                        let (handler, context) = loopBound.value
                        handler.respond(context: context, status: 200, headers: [], text: "", thenClose: false)
                    }
                case .respond(let status, let headers, let text, let thenClose):
                    respond(context: context, status: status, headers: headers, text: text, thenClose: thenClose)
                case .raw(let bytes, let thenClose):
                    writeRaw(bytes, thenClose: thenClose, context: context)
                }
            }
        }

        /// Writes `bytes` through the ``RawWriter``; then, with it swallowing, a minimal response through the
        /// HTTP layers so that they consider this request answered and read the next.
        func writeRaw(_ bytes: Data, thenClose: Bool, context: ChannelHandlerContext) {
            guard let writer = try? context.pipeline.syncOperations.handler(type: RawWriter.self),
                let writerContext = try? context.pipeline.syncOperations.context(handlerType: RawWriter.self)
            else { return }
            let written = writerContext.writeAndFlush(NIOAny(ByteBuffer(bytes: bytes)))
            writer.swallowing = true
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            writer.swallowing = false
            if thenClose {
                let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
                written.whenComplete { _ in loopBound.value.close(promise: nil) }
            }
        }

        func respond(
            context: ChannelHandlerContext, status: Int, headers: [(String, String)], text: String, thenClose: Bool
        ) {
            var fields = HTTPHeaders(headers)
            fields.replaceOrAdd(name: "Content-Length", value: "\(text.utf8.count)")
            let response = HTTPResponseHead(
                version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: fields)
            context.write(wrapOutboundOut(.head(response)), promise: nil)
            if !text.isEmpty {
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
            }
            let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if thenClose {
                let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
                written.whenComplete { _ in loopBound.value.close(promise: nil) }
            }
        }
    }

    /// Passes bytes to the socket, except while ``swallowing``, when it drops them (completing their writes).
    private final class RawWriter: ChannelOutboundHandler {
        typealias OutboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        var swallowing = false

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            if swallowing {
                promise?.succeed()
            } else {
                context.write(data, promise: promise)
            }
        }
    }
}
