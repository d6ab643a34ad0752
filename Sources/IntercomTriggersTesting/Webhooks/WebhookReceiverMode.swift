/// How a ``WebhookReceiver`` answers the deliveries it receives.
public enum WebhookReceiverMode: Sendable, Equatable {
    /// 200 at once.
    case accept
    /// This status at once (e.g. 500): nothing is acknowledged.
    case fail(status: Int)
    /// Holds every request open until the mode changes or the sink stops; then answers per the new mode.
    case hang
    /// 200 after this delay, so many deliveries are in flight at once.
    case slow(Duration)
    /// 200 until this many distinct events are acknowledged, then like ``hang``: a test can stop a fan-out at
    /// a known point with requests in flight, however fast or loaded the machine.
    case hangAfter(acknowledged: Int)
}
