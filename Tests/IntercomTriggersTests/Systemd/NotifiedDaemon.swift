import ServiceLifecycle

@testable import IntercomTriggers

/// A daemon running as `intercom-triggerd run` does, but nested in a service group of the test's instead of
/// trapping SIGTERM: ``stop()`` is the graceful shutdown a SIGTERM starts.
final class NotifiedDaemon: Sendable {
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    init(_ daemon: Daemon) {
        let group = ServiceGroup(
            configuration: .init(
                services: [Runner(daemon: daemon)], gracefulShutdownSignals: [], logger: DeliveryFixture.quiet))
        self.group = group
        task = Task { try await group.run() }
    }

    /// Starts the graceful shutdown and waits until the daemon has returned (the test's time limit guards it).
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }

    private struct Runner: Service {
        let daemon: Daemon
        func run() async throws { try await daemon.run(trapSignals: false) }
    }
}
