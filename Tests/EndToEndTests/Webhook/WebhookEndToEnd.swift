import Testing

/// The webhook delivery end-to-end suites: the built daemon delivering to in-process ``WebhookTestSink``s.
/// Serialized: each test runs a simulator, a daemon and several sinks on a small machine.
@Suite(.serialized) enum WebhookEndToEnd {}
