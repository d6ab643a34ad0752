import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Nested in TriggerEndToEnd so it never runs beside the other end-to-end suites. Needs root: it hands directories
// to another user and runs the commands as root, the way an operator runs them on a service's store.
extension TriggerEndToEnd {
    @Suite(.serialized, .enabled(if: geteuid() == 0, "runs commands as root on a store of another user"))
    enum Privileges {}
}

typealias PrivilegesEndToEnd = TriggerEndToEnd.Privileges
