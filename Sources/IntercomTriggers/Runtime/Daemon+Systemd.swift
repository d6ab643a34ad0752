import ServiceLifecycle

extension Daemon {
    /// The service for sd_notify (READY, STATUS, WATCHDOG, STOPPING), nil outside systemd.
    func systemdService() -> (any Service)? {
        nil
    }
}
