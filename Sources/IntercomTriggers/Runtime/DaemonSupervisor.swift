import Logging
import ServiceLifecycle
import Synchronization

/// Runs the daemon's working services one generation at a time, and reloads: on each request (SIGHUP) it
/// re-reads the configuration; a valid one that changes only workspaces is applied to the running generation (the
/// other workspaces and the lanes go on untouched); one with other changes ends the running generation gracefully (the page in
/// hand is committed, deliveries in flight finish) and starts a new one around the same store, so watermarks,
/// queued events and dead letters carry over. An invalid file is logged and the running generation goes on.
final class DaemonSupervisor: Service, CustomStringConvertible {
    /// Reads the configuration file again; throws `ConfigError` for a bad one.
    typealias Loader = @Sendable () throws -> DaemonConfiguration

    private struct State {
        var daemon: Daemon
        var group: ServiceGroup?
        var pending: ReloadPlan?
    }

    private let state: Mutex<State>
    private let load: Loader?
    private let requests: (any AsyncSequence<Void, Never> & Sendable)?
    private let logger: Logger

    /// - Parameters:
    ///   - load: how to re-read the configuration; nil: no reloads.
    ///   - requests: one element per reload request (the daemon's SIGHUPs, or a test's).
    init(daemon: Daemon, load: Loader?, requests: (any AsyncSequence<Void, Never> & Sendable)?) {
        state = Mutex(State(daemon: daemon))
        self.load = load
        self.requests = requests
        logger = daemon.logger.component("reload")
    }

    var description: String { "DaemonSupervisor" }

    /// The running generation.
    var daemon: Daemon { state.withLock { $0.daemon } }

    func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            if let requests, let load {
                tasks.addTask {
                    for await _ in requests { await self.reload(load) }
                }
            }
            defer { tasks.cancelAll() }
            try await generations()
        }
    }

    /// Runs generations until one ends without a reload pending (graceful shutdown, or a service's failure).
    private func generations() async throws {
        while true {
            let daemon = self.daemon
            var configuration = ServiceGroupConfiguration(
                services: daemon.generationServices.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                logger: daemon.logger)
            configuration.maximumGracefulShutdownDuration =
                ShutdownBudget(
                    daemon.configuration.service.shutdownTimeout
                ).graceful
            let group = ServiceGroup(configuration: configuration)
            let reloadWaiting = state.withLock {
                $0.group = group
                return $0.pending != nil
            }
            // A request that came between two generations: this one stops as soon as it starts.
            if reloadWaiting { await group.triggerGracefulShutdown() }
            try await group.run()
            guard let plan = state.withLock({ $0.pending.take() }) else { return }
            let next: Daemon
            do {
                next = try await daemon.reloaded(with: plan.configuration)
                logger.info("configuration reloaded", metadata: ["changes": "\(plan.changes.joined(separator: "; "))"])
            } catch {
                logger.error(
                    "cannot start the reloaded configuration; going on with the previous one",
                    metadata: ["error": "\(error)"])
                next = try await daemon.reloaded(with: daemon.configuration)
            }
            state.withLock { $0.daemon = next }
        }
    }

    /// Re-reads the file and, when it is valid and changes something, ends the running generation.
    private func reload(_ load: Loader) async {
        let running = daemon.configuration
        let loaded: DaemonConfiguration
        do {
            loaded = try load()
        } catch {
            logger.error("reload refused; the running configuration stays", metadata: ["error": "\(error)"])
            return
        }
        for warning in loaded.warnings { logger.warning("\(warning)") }
        let plan = ReloadPlan.between(running, loaded)
        if !plan.needsRestart.isEmpty {
            logger.warning(
                "reload: these settings take effect at the next restart",
                metadata: ["settings": "\(plan.needsRestart.joined(separator: "; "))"])
        }
        guard !plan.changes.isEmpty else {
            logger.info("reload: the configuration has not changed")
            return
        }
        // Only workspaces changed: the running generation starts and stops them; the others are not touched.
        let (current, restarting) = state.withLock { ($0.daemon, $0.pending != nil) }
        if plan.inPlace, !restarting {
            do {
                let next = try await current.applying(plan)
                state.withLock { $0.daemon = next }
                logger.info("configuration reloaded", metadata: ["changes": "\(plan.changes.joined(separator: "; "))"])
            } catch {
                logger.error(
                    "cannot apply the reloaded workspaces; the running ones go on as they were",
                    metadata: ["error": "\(error)"])
            }
            return
        }
        let group = state.withLock {
            $0.pending = plan
            return $0.group
        }
        await group?.triggerGracefulShutdown()
    }
}
