import Foundation
import IntercomSimulator

/// One `[[destination]]` table for a ``WebhookReceiver``, with its own random `whsec_` secret.
struct WebhookDestination: Sendable {
    var name: String
    var url: String
    var secret: String
    var concurrency = 4
    var timeout = "15s"
    /// Short, so a failing destination retries within a test.
    var retrySchedule = ["1s", "1s", "1s", "1s", "1s", "1s", "1s", "1s", "1s", "1s"]

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
