import Foundation
import NIOCore
import NIOHTTP1

/// The last handler of an ``HTTP1Transport`` connection: turns one ``Exchange`` written to the channel into
/// a request, collects its response and completes the exchange's promise. One exchange at a time (no
/// pipelining); between exchanges it closes the connection once it has been idle for `idleTimeout`.
///
/// Every way an exchange can end completes its promise exactly once, on the event loop: the response's end,
/// its deadline (the channel is closed), the peer closing or resetting the connection, or the handler being
/// removed with the channel.
final class HTTP1ExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = Exchange
    typealias OutboundOut = HTTPClientRequestPart

    /// One request and where its answer goes.
    struct Exchange: Sendable {
        var head: HTTPRequestHead
        var body: ByteBuffer?
        var deadline: NIODeadline
        var promise: EventLoopPromise<Outcome>
    }

    /// A complete response, and whether the connection may carry another request.
    struct Outcome: Sendable {
        var response: HTTPResponse
        var reusable: Bool
    }

    /// Why an exchange ended without a response.
    enum Failure: Error, Sendable, Equatable {
        /// No complete response before the deadline.
        case timedOut
        /// The connection closed or failed; `responseStarted` is false when not a byte of a response had
        /// arrived (a keep-alive connection the server had already dropped: safe to try a fresh one).
        case connection(String, responseStarted: Bool)
        /// A second exchange was written while one was in flight (a pool bug, never expected).
        case busy
    }

    /// The longest a response body kept in ``HTTPResponse/body``; the rest is read and dropped (a webhook
    /// receiver's answer is only quoted in error messages).
    static let keptBodyBytes = 64 << 10

    private let idleTimeout: TimeAmount
    private var current: Exchange?
    private var head: HTTPResponseHead?
    private var body = ByteBuffer()
    private var timeout: Scheduled<Void>?
    private var idleTimer: Scheduled<Void>?

    init(idleTimeout: TimeAmount) {
        self.idleTimeout = idleTimeout
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        guard current == nil else {
            exchange.promise.fail(Failure.busy)
            promise?.fail(Failure.busy)
            return
        }
        idleTimer?.cancel()
        idleTimer = nil
        current = exchange
        head = nil
        body.clear()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timeout = context.eventLoop.scheduleTask(deadline: exchange.deadline) {
            let (handler, context) = loopBound.value
            handler.finish(.failure(Failure.timedOut))
            context.close(promise: nil)
        }
        context.write(wrapOutboundOut(.head(exchange.head)), promise: nil)
        if let body = exchange.body {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard current != nil else {
            // A response nobody asked for: the connection is out of step; drop it.
            context.close(promise: nil)
            return
        }
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body(var part):
            let room = Self.keptBodyBytes - body.readableBytes
            if room > 0, let kept = part.readSlice(length: min(room, part.readableBytes)) {
                body.writeImmutableBuffer(kept)
            }
        case .end:
            guard let head else {
                finish(.failure(Failure.connection("response ended without a head", responseStarted: true)))
                context.close(promise: nil)
                return
            }
            let response = HTTPResponse(
                status: Int(head.status.code), headers: head.headers.map { ($0.name, $0.value) },
                body: Data(body.readableBytesView))
            let reusable = head.isKeepAlive && context.channel.isActive
            finish(.success(Outcome(response: response, reusable: reusable)))
            if reusable {
                let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
                idleTimer = context.eventLoop.scheduleTask(in: idleTimeout) { loopBound.value.close(promise: nil) }
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        connectionEnded()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(Failure.connection(String(describing: error), responseStarted: head != nil)))
        context.close(promise: nil)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        connectionEnded()
    }

    /// The connection is gone: the exchange in flight, if any, fails, and no idle close is due.
    private func connectionEnded() {
        finish(.failure(Failure.connection("connection closed", responseStarted: head != nil)))
        idleTimer?.cancel()
        idleTimer = nil
    }

    /// Completes the exchange in flight, if any, and forgets it.
    private func finish(_ result: Result<Outcome, any Error>) {
        guard let exchange = current else { return }
        current = nil
        timeout?.cancel()
        timeout = nil
        exchange.promise.completeWith(result)
    }
}
