/// Why a ``WebhookReceiver`` could not start.
public enum WebhookReceiverError: Error, CustomStringConvertible {
    /// The server stopped before reporting the port it bound.
    case noPort

    public var description: String { "the webhook test sink stopped before it listened" }
}
