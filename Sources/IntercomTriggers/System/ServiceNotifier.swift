/// Where the daemon tells its service manager how it is doing: systemd's `sd_notify` protocol, one message of
/// newline-separated `KEY=VALUE` assignments (`READY=1`, `STATUS=…`, `WATCHDOG=1`, `STOPPING=1`) per call.
///
/// Best effort by design: a lost message is never an error for the daemon (systemd ignores what it cannot
/// use, and the next watchdog ping or status follows soon).
public protocol ServiceNotifier: Sendable {
    /// Sends one message, e.g. `"READY=1\nSTATUS=polling"`.
    func notify(_ state: String)
}
