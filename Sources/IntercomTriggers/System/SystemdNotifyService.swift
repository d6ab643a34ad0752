import Foundation
import Logging
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// Tells systemd how the daemon is doing (`Type=notify`, `NotifyAccess=main`), through a ``ServiceNotifier``:
///
/// - `READY=1` (with a first `STATUS=`) as soon as it starts: the daemon's services start only after
///   `Daemon.build` opened and migrated the store.
/// - `STATUS=` (``SystemdStatus``) whenever the line has changed, looked at on every tick.
/// - `WATCHDOG=1` on every tick while no working loop is stalled (working without progress for longer than
///   `stallLimit`): a wedged poll loop stops the pings, so systemd's `WatchdogSec=` restarts the daemon.
/// - `STOPPING=1` as soon as graceful shutdown starts (the daemon lists this service last, so it stops first).
///
/// A tick comes every `statusInterval`, or every half `WATCHDOG_USEC` when that is shorter, as
/// `sd_watchdog_enabled(3)` recommends.
struct SystemdNotifyService: Service {
    private let notifier: any ServiceNotifier
    private let telemetry: DaemonTelemetry
    private let clock: any WallClock
    private let stallLimit: Duration
    private let watchdogInterval: Duration?
    private let tick: Duration
    private let delivery: @Sendable () async -> SystemdStatus.Delivery
    private let logger: Logger

    /// - Parameters:
    ///   - watchdogInterval: how often to ping the watchdog (``watchdogInterval(environment:pid:)``); nil: never.
    ///   - statusInterval: how often, at most, the status is looked at when there is no faster watchdog.
    ///   - delivery: the queue and the destinations as they are now (read from the store and the lanes).
    init(
        notifier: any ServiceNotifier, telemetry: DaemonTelemetry, clock: any WallClock, stallLimit: Duration,
        watchdogInterval: Duration?, statusInterval: Duration = .seconds(10),
        delivery: @escaping @Sendable () async -> SystemdStatus.Delivery, logger: Logger
    ) {
        self.notifier = notifier
        self.telemetry = telemetry
        self.clock = clock
        self.stallLimit = stallLimit
        self.watchdogInterval = watchdogInterval
        tick = min(watchdogInterval ?? statusInterval, statusInterval)
        self.delivery = delivery
        self.logger = logger
    }

    /// Half of `WATCHDOG_USEC`, or nil when systemd set no watchdog for this process: unset or zero, or a
    /// `WATCHDOG_PID` that is not `pid` (the variables were inherited from a parent that is the service).
    static func watchdogInterval(environment: [String: String], pid: Int32 = getpid()) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = Int64(text), microseconds > 0 else {
            return nil
        }
        if let owner = environment["WATCHDOG_PID"], Int32(owner) != pid { return nil }
        return .microseconds(microseconds / 2)
    }

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { [self] in
                var status = SystemdStatus()
                var sent = status.line(
                    snapshot: telemetry.snapshot, delivery: await delivery(), now: clock.now(), stallLimit: stallLimit)
                notifier.notify("READY=1\nSTATUS=\(sent)")
                var stalled: [String] = []
                while true {
                    try await clock.sleep(for: tick)
                    let now = clock.now()
                    let snapshot = telemetry.snapshot
                    let stalledNow = snapshot.stalledLoops(at: now, limit: stallLimit)
                    if stalledNow != stalled { report(stalled: stalledNow, before: stalled) }
                    stalled = stalledNow
                    var message: [String] = []
                    if watchdogInterval != nil, stalled.isEmpty { message.append("WATCHDOG=1") }
                    let line = status.line(
                        snapshot: snapshot, delivery: await delivery(), now: now, stallLimit: stallLimit)
                    if line != sent {
                        message.append("STATUS=\(line)")
                        sent = line
                    }
                    if !message.isEmpty { notifier.notify(message.joined(separator: "\n")) }
                }
            }
        } catch is CancellationError {
            // Graceful shutdown (or the group's cancellation): say so at once.
        }
        notifier.notify("STOPPING=1\nSTATUS=stopping")
    }

    private func report(stalled: [String], before: [String]) {
        let pings = watchdogInterval == nil ? "no watchdog is set" : "watchdog pings stop"
        if !stalled.isEmpty {
            logger.error(
                "working loop stalled: no progress for longer than stall_limit; \(pings)",
                metadata: [
                    "loops": "\(stalled.joined(separator: ","))",
                    "stall_limit": "\(ConfigDuration.format(stallLimit))",
                ])
        } else {
            logger.info("stalled loops moving again", metadata: ["loops": "\(before.joined(separator: ","))"])
        }
    }
}
