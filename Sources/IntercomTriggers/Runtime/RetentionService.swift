import Logging
import ServiceLifecycle

/// Prunes the store on a period (DESIGN §7): delivered outbox rows once `retention` has passed since
/// their delivery, then events no outbox row refers to any more that are older than `retention`.
/// Dead letters and pending rows are never touched, so their events stay too.
public struct RetentionService: Service {
    private let store: StateStore
    private let retention: Duration
    private let interval: Duration
    private let clock: any WallClock
    private let logger: Logger

    /// Creates the service; it prunes once at start, then every `interval`.
    public init(
        store: StateStore, retention: Duration, interval: Duration = .seconds(3_600),
        clock: any WallClock = SystemWallClock(), logger: Logger = Logger(label: "intercom-triggerd.retention")
    ) {
        self.store = store
        self.retention = retention
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    /// Prunes until graceful shutdown or cancellation; store errors are logged and retried next period.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    _ = try await prune()
                } catch {
                    logger.error("Pruning the store failed; retrying next period", metadata: ["error": "\(error)"])
                }
                try await clock.sleep(for: interval)
            }
        }
    }

    /// Prunes once, as of the clock's now; returns how many outbox rows and events went.
    @discardableResult
    public func prune() async throws -> (delivered: Int, events: Int) {
        let cutoff = Int(clock.now().timeIntervalSince1970) - DeliveryLane.seconds(retention)
        let delivered = try await store.pruneDelivered(before: cutoff)
        let events = try await store.pruneEvents(before: cutoff)
        if delivered + events > 0 {
            logger.debug("Pruned the store", metadata: ["delivered_rows": "\(delivered)", "events": "\(events)"])
        }
        return (delivered, events)
    }
}
