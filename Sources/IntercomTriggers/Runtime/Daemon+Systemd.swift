import ServiceLifecycle

extension Daemon {
    /// The service for sd_notify (READY, STATUS, WATCHDOG, STOPPING), nil outside systemd (`NOTIFY_SOCKET` unset
    /// in ``environment``).
    func systemdService() -> (any Service)? {
        guard let notifier = DatagramNotifier(environment: environment) else { return nil }
        return SystemdNotifyService(
            notifier: notifier, telemetry: telemetry, clock: clock, stallLimit: configuration.service.stallLimit,
            watchdogInterval: SystemdNotifyService.watchdogInterval(environment: environment),
            delivery: { [store, lanes] in
                SystemdStatus.Delivery(
                    queue: try? store.queueDepth(), lanes: lanes.map(\.status),
                    disabled: Set(((try? store.destinationStates()) ?? []).filter(\.isDisabled).map(\.name)))
            },
            logger: logger.component("systemd"))
    }
}
