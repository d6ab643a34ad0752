import Logging
import ServiceLifecycle

/// On a store several daemons share (#16): wakes this daemon's lanes when another daemon or an admin command queued
/// or re-queued deliveries (PostgreSQL's `LISTEN`/`NOTIFY`), so a lane does not wait for its quiet poll to see rows
/// another daemon detected, replayed or made due. Reconnects after a lost connection, with a growing pause.
public struct OutboxListener: Service, CustomStringConvertible {
    let store: StateStore
    let signal: OutboxSignal
    let clock: any WallClock
    let logger: Logger

    public init(store: StateStore, signal: OutboxSignal, clock: any WallClock, logger: Logger) {
        self.store = store
        self.signal = signal
        self.clock = clock
        self.logger = logger
    }

    public var description: String { "OutboxListener" }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                var pause = Duration.seconds(1)
                while !Task.isCancelled {
                    do {
                        try await store.listenForOutboxChanges { signal.notify() }
                    } catch is CancellationError {
                        return
                    } catch {
                        logger.warning(
                            "lost the wake-up channel to the other daemons; lanes poll until it is back",
                            metadata: ["error": "\(error)"])
                    }
                    // Rows may have been queued while nobody listened.
                    signal.notify()
                    try await clock.sleep(for: pause)
                    pause = min(pause * 2, .seconds(30))
                }
            }
        } catch is CancellationError {}
    }
}
