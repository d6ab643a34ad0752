import Foundation
import Synchronization

@testable import IntercomTriggers

/// An `HTTPTransport` whose requests stay "on the wire" until `open()` is called.
final class GateTransport: HTTPTransport {
    private struct State {
        var isOpen = false
        var entered = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    let body: Data

    init(body: String) { self.body = Data(body.utf8) }

    /// Requests that reached the transport.
    var entered: Int { state.withLock { $0.entered } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let proceed = state.withLock { state in
                state.entered += 1
                if state.isOpen { return true }
                state.waiters.append(continuation)
                return false
            }
            if proceed { continuation.resume() }
        }
        return HTTPResponse(status: 200, body: body)
    }

    /// Lets every held request (and every later one) complete.
    func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
