import Testing

/// The trigger engine's end-to-end suites: the built `intercom-triggerd` against a built `intercom-sim`.
/// Serialized: each suite runs real processes on a 2-core machine.
@Suite(.serialized) enum TriggerEndToEnd {}
