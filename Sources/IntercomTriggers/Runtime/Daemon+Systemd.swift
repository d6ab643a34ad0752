import ServiceLifecycle

extension Daemon {
    /// The service for sd_notify (READY, STATUS, WATCHDOG, STOPPING), nil outside systemd (`NOTIFY_SOCKET` unset
    /// in ``environment``).
    /// - Parameter current: the running generation (a reload replaces the lanes the status reads).
    func systemdService(current: @escaping @Sendable () -> Daemon) -> (any Service)? {
        guard let notifier = DatagramNotifier(environment: environment) else { return nil }
        return SystemdNotifyService(
            notifier: notifier, telemetry: telemetry, clock: clock, stallLimit: configuration.service.stallLimit,
            watchdogInterval: SystemdNotifyService.watchdogInterval(environment: environment),
            delivery: { [store] in
                SystemdStatus.Delivery(
                    queue: try? await store.queueDepth(), lanes: current().lanes.map(\.status),
                    disabled: Set(((try? await store.destinationStates()) ?? []).filter(\.isDisabled).map(\.name)))
            },
            logger: logger.component("systemd"))
    }
}
