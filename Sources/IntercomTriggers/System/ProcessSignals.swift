#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Process-wide signal dispositions the daemon needs.
public enum ProcessSignals {
    /// Ignores SIGPIPE, so writing to a closed pipe or socket fails with `EPIPE` instead of killing the
    /// process: the stdout lane then stops and the rest of the daemon goes on. Call once, at start.
    public static func ignoreSIGPIPE() {
        _ = signal(SIGPIPE, SIG_IGN)
    }
}
