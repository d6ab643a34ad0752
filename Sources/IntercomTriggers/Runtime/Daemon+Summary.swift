import ServiceLifecycle

extension Daemon {
    /// The service for the periodic info-level summary of what happened.
    func summaryService() -> (any Service)? {
        nil
    }
}
