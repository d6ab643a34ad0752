import ArgumentParser
import Foundation
import IntercomTriggersTesting
import Logging
import ServiceLifecycle

/// `intercom-webhook-sink`: a local Hummingbird webhook receiver for the delivery benchmark and manual tests.
/// Verifies each delivery's Standard Webhooks signature, answers 200, and counts per path (`/hook/NAME`: one
/// path per destination). Prints its base URL as the first stdout line; `GET /__stats` answers the figures as
/// JSON; SIGINT or SIGTERM stops it.
@main
struct IntercomWebhookSink: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intercom-webhook-sink",
        abstract: "A local webhook receiver that verifies Standard Webhooks signatures and counts deliveries.")

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one.")
    var port = 0

    @Option(help: "The destinations' signing secret (whsec_…).")
    var secret: String

    @Option(help: "Answer every delivery with this status instead of 200 (e.g. 500).")
    var status: Int?

    @Flag(help: "Do not keep each event's first-acknowledged time (flat memory for long runs).")
    var noTimes = false

    func run() async throws {
        let quiet = Logger(label: "intercom-webhook-sink", factory: { _ in SwiftLogNoOpLogHandler() })
        let service = SinkService(
            host: host, port: port, secret: secret, mode: status.map { .fail(status: $0) } ?? .accept,
            recordsTimes: !noTimes)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: quiet))
        try await group.run()
    }
}

/// Runs the receiver until graceful shutdown.
struct SinkService: Service {
    let host: String
    let port: Int
    let secret: String
    let mode: WebhookReceiverMode
    let recordsTimes: Bool

    func run() async throws {
        try await WebhookReceiver.withRunning(
            secret: secret, mode: mode, host: host, port: port, recordsTimes: recordsTimes,
            recordsRequests: false, executor: nil
        ) { receiver in
            // The first stdout line is the contract with scripts; write it unbuffered.
            FileHandle.standardOutput.write(Data("http://\(host):\(receiver.port)\n".utf8))
            try? await gracefulShutdown()
        }
    }
}
