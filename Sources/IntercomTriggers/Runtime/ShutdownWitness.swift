import Dispatch
import ServiceLifecycle
import Synchronization

/// Tells whether a graceful shutdown ran past its phase and was cut short by cancellation, so that
/// `Daemon.run()` can say so and still treat the stop as a clean one.
///
/// Two services around the daemon's own: ``onset`` goes last (it stops first) and notes that the graceful
/// shutdown began; ``finale`` goes first (it stops last), and is cancelled before its turn only when the
/// graceful phase ran out.
///
/// With a backstop, the onset also arms a timer: if the process is still stopping `bound` after the shutdown
/// began, `action` runs (the daemon's ends the process). Everything the store holds is committed, so ending
/// there loses nothing; swift-service-lifecycle's own limit on cancellation would crash the process instead.
final class ShutdownWitness: Sendable {
    /// What to do when a stop outlives its bound.
    struct Backstop: Sendable {
        var bound: Duration
        var action: @Sendable () -> Void
        /// Runs the check after `bound`; a dispatch timer, not a task: it must fire even if every task is stuck.
        /// Tests pass their own to fire it when they choose.
        var schedule: @Sendable (Duration, @escaping @Sendable () -> Void) -> Void = { bound, check in
            let (seconds, attoseconds) = bound.components
            let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds), execute: check)
        }
    }

    private struct State {
        var began = false
        var cutShort = false
        var ended = false
    }

    private let state = Mutex(State())
    private let backstop: Backstop?

    init(backstop: Backstop? = nil) {
        self.backstop = backstop
    }

    /// Whether the graceful shutdown began.
    var began: Bool { state.withLock { $0.began } }

    /// Disarms the backstop: the group has returned.
    func ended() {
        state.withLock { $0.ended = true }
    }

    /// Whether it began and was then cut short by the group's cancellation.
    var cutShort: Bool { state.withLock { $0.began && $0.cutShort } }

    /// The service to list last.
    var onset: some Service { Onset(witness: self) }

    /// The service to list first.
    var finale: some Service { Finale(witness: self) }

    private struct Onset: Service {
        let witness: ShutdownWitness

        func run() async throws {
            guard (try? await gracefulShutdown()) != nil else { return }
            witness.state.withLock { $0.began = true }
            if let backstop = witness.backstop {
                backstop.schedule(backstop.bound) { [witness] in
                    if !witness.state.withLock({ $0.ended }) { backstop.action() }
                }
            }
        }
    }

    private struct Finale: Service {
        let witness: ShutdownWitness

        func run() async throws {
            guard (try? await gracefulShutdown()) == nil else { return }
            witness.state.withLock { $0.cutShort = true }
        }
    }
}
