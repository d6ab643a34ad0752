import IntercomSimulator
import IntercomTriggersTesting

/// Runs several ``WebhookReceiver``s at once, each with its own secret and initial mode.
enum WebhookSinks {
    /// Starts one sink per entry of `modes` (secrets from `secrets`, same count), runs `body` with them in the
    /// same order, then stops them all.
    static func withRunning<T: Sendable>(
        _ modes: [WebhookReceiverMode], secrets: [String], _ body: ([WebhookReceiver]) async throws -> T
    ) async throws -> T {
        try await start(Array(modes.reversed()), secrets: Array(secrets.reversed()), running: [], body)
    }

    private static func start<T: Sendable>(
        _ modes: [WebhookReceiverMode], secrets: [String], running: [WebhookReceiver],
        _ body: ([WebhookReceiver]) async throws -> T
    ) async throws -> T {
        guard let mode = modes.last, let secret = secrets.last else { return try await body(running) }
        return try await WebhookReceiver.withRunning(secret: secret, mode: mode, recordsRequests: false) { sink in
            try await start(modes.dropLast(), secrets: secrets.dropLast(), running: running + [sink], body)
        }
    }
}
