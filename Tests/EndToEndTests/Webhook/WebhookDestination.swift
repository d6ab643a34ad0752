import Foundation
import IntercomSimulator
import IntercomTriggersTesting

/// One `[[destination]]` table for a ``WebhookReceiver``, with its own random `whsec_` secret.
struct WebhookDestination: Sendable {
    var name: String
    var url: URL
    var secret: String
    var concurrency = 4
    var timeout = "15s"
    /// Short steps, so a failing destination retries within a test and a sink that stalls recovers within
    /// seconds; long in all (over 5 minutes), so a loaded machine's stall never turns events into dead letters.
    var retrySchedule = ["1s", "2s", "3s"] + Array(repeating: "5s", count: 60)

    /// The TOML table.
    var toml: String {
        """

        [[destination]]
        name = "\(name)"
        url = "\(url)"
        secret = "\(secret)"
        concurrency = \(concurrency)
        timeout = "\(timeout)"
        retry_schedule = [\(retrySchedule.map { "\"\($0)\"" }.joined(separator: ", "))]

        """
    }

    /// A fresh Standard Webhooks secret: `whsec_` and 32 random bytes in base64.
    static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "whsec_" + Data(bytes).base64EncodedString()
    }
}
