import Foundation
import Logging

/// How a lane records what its sink answered: delivered rows, failures with their next attempt or a dead
/// letter, a throttled or disabled destination.
extension DeliveryLane {
    /// What the loop does after recording a turn.
    enum Next {
        case carryOn
        case throttle(until: Int)
        case stop(reason: String)
    }

    /// Records the outcomes of one turn attempted at `now`: delivered rows first (one transaction), then
    /// each failure with its next attempt, then a disabled destination.
    func record(_ paired: [(OutboxEntry, DeliveryOutcome)], at now: Int) async throws -> Next {
        for case .stopLane(let reason) in paired.map(\.1) {
            return .stop(reason: reason)
        }
        let delivered = paired.compactMap { $0.1 == .delivered ? $0.0.event.seq : nil }
        if !delivered.isEmpty {
            try await store.markDelivered(destination: destination, seqs: delivered, at: now)
            update { $0.delivered += delivered.count }
            telemetry.deliveries(destination: destination, outcome: .delivered, count: delivered.count)
        }
        var throttledUntil: Int?
        var disabledReason: String?
        for (entry, outcome) in paired {
            switch outcome {
            case .delivered, .stopLane:
                continue
            case .failed(let status, let error, let retryAfter):
                let next = try await recordFailure(entry, status: status, error: error, retryAfter: retryAfter, at: now)
                telemetry.deliveries(destination: destination, outcome: next == nil ? .deadLetter : .failed)
            case .throttled(let status, let error, let retryAfter):
                let next = try await recordFailure(entry, status: status, error: error, retryAfter: retryAfter, at: now)
                telemetry.deliveries(destination: destination, outcome: next == nil ? .deadLetter : .throttled)
                let until = next ?? now.addingSaturated(Self.seconds(retryAfter ?? idlePoll))
                throttledUntil = max(throttledUntil ?? until, until)
            case .disable(let reason):
                disabledReason = reason
                telemetry.deliveries(destination: destination, outcome: .disabled)
            }
        }
        if let disabledReason {
            try await store.setDestinationDisabled(destination, reason: disabledReason, at: now)
            logger.error(
                "Destination disabled; it stays disabled until an admin re-enables it",
                metadata: ["reason": "\(disabledReason)"])
            update { $0.lastError = disabledReason }
            return .carryOn  // the next turn finds it disabled
        }
        return throttledUntil.map { .throttle(until: $0) } ?? .carryOn
    }

    /// Records failed attempt `entry.attempts + 1`; returns its next attempt time, `nil` for a dead letter.
    private func recordFailure(
        _ entry: OutboxEntry, status: Int?, error: String, retryAfter: Duration?, at now: Int
    ) async throws -> Int? {
        let attempt = entry.attempts + 1
        let next = retrySchedule.delay(afterFailedAttempt: attempt).map { delay in
            // At least a second later: the store counts whole seconds, and a row due now would spin the lane.
            now.addingSaturated(max(1, Self.seconds(retryAfter ?? delay)))
        }
        try await store.markFailed(
            destination: destination, seq: entry.event.seq, attempt: attempt, status: status, error: error,
            nextAttemptAt: next, at: now)
        update {
            $0.failed += 1
            $0.lastError = error
        }
        var metadata: Logger.Metadata = ["event": "\(entry.event.id)", "attempt": "\(attempt)", "error": "\(error)"]
        if let status { metadata["status"] = "\(status)" }
        if let next {
            metadata["next_attempt_at"] = "\(next)"
            logger.debug("Delivery failed; will retry", metadata: metadata)
        } else {
            logger.error("Delivery failed for the last time; kept as a dead letter", metadata: metadata)
        }
        return next
    }
}
