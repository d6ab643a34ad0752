import Testing

// Nested in TriggerEndToEnd so that every end-to-end suite runs one test at a time: two of them at once
// (each a daemon, a simulator and sinks) on 2 cores starve each other past their time limits.
extension TriggerEndToEnd {
    @Suite(.serialized) enum Webhook {}
}

typealias WebhookEndToEnd = TriggerEndToEnd.Webhook
