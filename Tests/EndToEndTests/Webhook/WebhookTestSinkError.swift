/// Why a ``WebhookTestSink`` could not start.
enum WebhookTestSinkError: Error, CustomStringConvertible {
    /// The server stopped before reporting the port it bound.
    case noPort

    var description: String { "the webhook test sink stopped before it listened" }
}
