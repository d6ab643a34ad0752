import Foundation
import IntercomTriggersTesting

/// Watches a daemon fanning events out to in-process sinks while a test waits, so that a fan-out that cannot
/// finish fails the wait at once, with a diagnosis, instead of at the wait's hang guard: the daemon exited, a
/// delivery became a dead letter, or no sink acknowledged anything new for `stallLimit`. The diagnosis has the
/// sinks' counts, the outbox per destination and state with the next due time, and the daemon's last stderr
/// lines.
final class FanOutWatch {
    let sinks: [(name: String, receiver: WebhookReceiver)]
    let storePath: String
    let stallLimit: Duration
    private var inspector: StoreInspector?
    private var acknowledged = -1
    private var progressAt = ContinuousClock.now
    private var lookedAt: ContinuousClock.Instant?

    /// - Parameters:
    ///   - sinks: each destination's name (as in the store) and its receiver.
    ///   - storePath: the daemon's store, read in the admin role.
    ///   - stallLimit: how long the sinks may acknowledge nothing new before the wait fails.
    init(sinks: [(name: String, receiver: WebhookReceiver)], storePath: String, stallLimit: Duration = .seconds(120)) {
        self.sinks = sinks
        self.storePath = storePath
        self.stallLimit = stallLimit
    }

    deinit { inspector?.close() }

    /// Throws an ``EndToEndError`` with the diagnosis when `daemon` has exited, a dead letter exists, or the
    /// sinks stalled; call it first in a wait's condition. The store is read at most every 2 s.
    func check(_ daemon: DaemonProcess) async throws {
        guard daemon.process.isRunning else { throw await failure("the daemon exited", daemon) }
        let total = sinks.reduce(0) { $0 + $1.receiver.snapshot.acknowledged.count }
        let now = ContinuousClock.now
        if total != acknowledged {
            acknowledged = total
            progressAt = now
        } else if now - progressAt > stallLimit {
            throw await failure("no sink acknowledged a new event for \(stallLimit)", daemon)
        }
        if lookedAt.map({ now - $0 >= .seconds(2) }) ?? true {
            lookedAt = now
            if let dead = try? await groups().filter({ $0.state == "dead" }), !dead.isEmpty {
                throw await failure("deliveries became dead letters", daemon)
            }
        }
    }

    /// The diagnosis as text.
    func diagnosis(_ daemon: DaemonProcess) async -> String {
        var lines = ["sinks:"]
        for (name, receiver) in sinks {
            let seen = receiver.snapshot
            lines.append(
                "  \(name): \(seen.acknowledged.count) events acknowledged, \(seen.requestCount) requests, "
                    + "\(seen.inFlight) in flight, \(seen.rejected.count) rejected")
        }
        lines.append("outbox:")
        let now = Int(Date().timeIntervalSince1970)
        do {
            for group in try await groups() {
                let due =
                    group.state == "pending" ? group.nextAttemptAt.map { ", next due in \($0 - now) s" } ?? "" : ""
                lines.append("  \(group.destination) \(group.state): \(group.count)\(due)")
            }
        } catch {
            lines.append("  unreadable: \(error)")
        }
        lines.append("daemon stderr (last lines):")
        lines.append(daemon.process.standardErrorTail())
        return lines.joined(separator: "\n")
    }

    private func failure(_ what: String, _ daemon: DaemonProcess) async -> EndToEndError {
        EndToEndError("\(what)\n\(await diagnosis(daemon))")
    }

    private func groups() async throws -> [StoreInspector.OutboxGroup] {
        if inspector == nil { inspector = try StoreInspector(path: storePath) }
        return try await inspector!.outboxGroups()
    }
}
