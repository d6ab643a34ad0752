import Synchronization

/// Intercom's rate limit: a budget per 10-second window, windows aligned to the clock (a window starts at a
/// Unix time divisible by 10), and `X-RateLimit-Reset` is the end of the current window in Unix seconds.
final class RateLimiter: Sendable {
    /// The outcome of one request against the budget, with the values for the three headers.
    struct Decision: Sendable, Equatable {
        var allowed: Bool
        /// `X-RateLimit-Limit`: requests allowed per window.
        var limit: Int
        /// `X-RateLimit-Remaining`: requests left in this window after this one.
        var remaining: Int
        /// `X-RateLimit-Reset`: Unix seconds when the window ends.
        var reset: Int

        /// The three headers, in Intercom's spelling.
        var headers: [(name: String, value: String)] {
            [
                ("X-RateLimit-Limit", String(limit)),
                ("X-RateLimit-Remaining", String(remaining)),
                ("X-RateLimit-Reset", String(reset)),
            ]
        }
    }

    /// Window length in seconds.
    static let window = 10

    private struct State {
        var perWindow: Int
        var windowStart: Int
        var used: Int
    }

    private let state: Mutex<State>

    init(perWindow: Int) { state = Mutex(State(perWindow: perWindow, windowStart: Int.min, used: 0)) }

    /// Requests allowed per window.
    var perWindow: Int {
        get { state.withLock { $0.perWindow } }
        set { state.withLock { $0.perWindow = max(0, newValue) } }
    }

    /// Takes one request from the budget of the window containing `now` (Unix seconds).
    func admit(now: Double) -> Decision {
        state.withLock { state in
            let start = Self.windowStart(now)
            Self.roll(&state, to: start)
            guard state.used < state.perWindow else {
                return Decision(allowed: false, limit: state.perWindow, remaining: 0, reset: start + Self.window)
            }
            state.used += 1
            return Decision(
                allowed: true, limit: state.perWindow, remaining: state.perWindow - state.used,
                reset: start + Self.window)
        }
    }

    /// The headers for a response that does not use the budget (e.g. a rejected `Intercom-Version`).
    func peek(now: Double) -> Decision {
        state.withLock { state in
            let start = Self.windowStart(now)
            Self.roll(&state, to: start)
            return Decision(
                allowed: state.used < state.perWindow, limit: state.perWindow,
                remaining: max(0, state.perWindow - state.used), reset: start + Self.window)
        }
    }

    /// Gives the current window its whole budget back.
    func resetWindow() { state.withLock { $0.used = 0 } }

    private static func windowStart(_ now: Double) -> Int {
        Int((now / Double(window)).rounded(.down)) * window
    }

    private static func roll(_ state: inout State, to start: Int) {
        if start != state.windowStart {
            state.windowStart = start
            state.used = 0
        }
    }
}
