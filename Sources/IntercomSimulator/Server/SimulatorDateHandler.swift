import Foundation
import Hummingbird
import IntercomTriggers
import NIOCore
import NIOHTTPTypes

/// Stamps every response with a `Date` from the simulator's clock, so a test that pins or advances that clock
/// sees Intercom's time move with it. Hummingbird dates each response with the host's time before writing it;
/// this handler, on the way out, replaces that.
final class SimulatorDateHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let clock: SimulatorClock

    init(clock: SimulatorClock) { self.clock = clock }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var part = unwrapOutboundIn(data)
        if case .head(var head) = part {
            head.headerFields[.date] = HTTPDate.format(Date(timeIntervalSince1970: clock.now()))
            part = .head(head)
        }
        context.write(wrapOutboundOut(part), promise: promise)
    }
}
