import Foundation
import Logging

/// How a lane records what its sink answered: each outcome as it completes (through the ``LaneLedger``),
/// then, once per turn, a throttled, disabled or stopped destination.
extension DeliveryLane {
    /// What the loop does after a turn.
    enum Next {
        case carryOn
        /// Send nothing until `until`, or until none of `seqs` (the throttled rows) waits that long any more.
        case throttle(until: Int, seqs: [Int64])
        case stop(reason: String)
    }

    /// One attempted row: what the sink answered and, for a failure, when the row is due again (`nil`: a
    /// dead letter, or no failure).
    struct Settled: Sendable {
        var entry: OutboxEntry
        var outcome: DeliveryOutcome
        var nextAttemptAt: Int?
    }

    /// Takes the outcomes of attempts made at `time`: counts and logs them, marks the lane's progress and
    /// writes them to the store before returning (unless a write is running, which takes them too).
    /// Outcomes that change no row (``DeliveryOutcome/disable(reason:)``, ``DeliveryOutcome/stopLane(reason:)``)
    /// are only returned, for ``decide(_:at:)``.
    func settle(_ results: [(OutboxEntry, DeliveryOutcome)], at time: Int) async -> [Settled] {
        let settled = note(results, at: time)
        await writeLedger()
        return settled
    }

    /// Counts, logs and queues in the ledger the outcomes of attempts made at `time`, without writing them (a
    /// concurrent turn's writer does, gathering for ``ledgerCoalescing``).
    func note(_ results: [(OutboxEntry, DeliveryOutcome)], at time: Int) -> [Settled] {
        telemetry.progress(loopName)
        var attempts: [OutboxAttempt] = []
        var settled: [Settled] = []
        for (entry, outcome) in results {
            var next: Int?
            switch outcome {
            case .delivered:
                attempts.append(OutboxAttempt(seq: entry.event.seq, result: .delivered(at: time)))
            case .failed(let status, let error, let retryAfter), .throttled(let status, let error, let retryAfter):
                let attempt = entry.attempts + 1
                next = retrySchedule.delay(afterFailedAttempt: attempt).map { delay in
                    // At least a second later: the store counts whole seconds, and a row due now would spin
                    // the lane.
                    time.addingSaturated(max(1, Self.seconds(retryAfter ?? delay)))
                }
                attempts.append(
                    OutboxAttempt(
                        seq: entry.event.seq,
                        result: .failed(attempt: attempt, status: status, error: error, nextAttemptAt: next, at: time)))
                noteFailure(entry, attempt: attempt, status: status, error: error, next: next, outcome: outcome)
            case .disable, .stopLane:
                break  // counted by ``decide(_:at:)`` once the store says so
            }
            settled.append(Settled(entry: entry, outcome: outcome, nextAttemptAt: next))
        }
        ledger.append(attempts)
        return settled
    }

    /// What the lane does after a turn whose rows were settled (at `now`, the turn's start): stop for good,
    /// disable the destination, or pause until the latest throttled row is due.
    func decide(_ settled: [Settled], at now: Int) async throws -> Next {
        for case .stopLane(let reason) in settled.map(\.outcome) {
            return .stop(reason: reason)
        }
        let disabling = settled.compactMap { row -> String? in
            if case .disable(let reason) = row.outcome { return reason }
            return nil
        }
        if let reason = disabling.first {
            try await store.setDestinationDisabled(destination, reason: reason, at: now)
            telemetry.deliveries(destination: destination, outcome: .disabled, count: disabling.count)
            logger.error(
                "Destination disabled; it stays disabled until an admin re-enables it",
                metadata: ["reason": "\(reason)"])
            update { $0.lastError = reason }
            return .carryOn  // the next turn finds it disabled
        }
        var throttledUntil: Int?
        var throttled: [Int64] = []
        for row in settled {
            guard case .throttled(_, _, let retryAfter) = row.outcome else { continue }
            let until = row.nextAttemptAt ?? now.addingSaturated(Self.seconds(retryAfter ?? idlePoll))
            throttledUntil = max(throttledUntil ?? until, until)
            throttled.append(row.entry.event.seq)
        }
        return throttledUntil.map { .throttle(until: $0, seqs: throttled) } ?? .carryOn
    }

    /// Writes what the ledger holds, unless another task is writing it. A failed write is retried with
    /// backoff (one error line per outage, one line when it ends) while the lane sends nothing new; a
    /// stopping lane gives up after a few tries and leaves those rows pending, to be sent again.
    func writeLedger() async {
        guard var batch = ledger.beginWrite() else { return }
        var failures = 0
        var outageStarted = ContinuousClock.now
        while true {
            let stored: Bool
            do {
                try await store.recordAttempts(destination: destination, batch)
                stored = true
                // Counted once recorded: a scrape that shows a delivery also shows its row gone from the queue.
                let delivered = batch.count { if case .delivered = $0.result { true } else { false } }
                if delivered > 0 {
                    update { $0.delivered += delivered }
                    telemetry.deliveries(destination: destination, outcome: .delivered, count: delivered)
                }
                if failures > 0 {
                    logger.notice(
                        "The store accepts delivery outcomes again; recorded the held ones",
                        metadata: [
                            "outcomes": "\(batch.count)", "failed_writes": "\(failures)",
                            "outage_seconds": "\((ContinuousClock.now - outageStarted).components.seconds)",
                        ])
                    failures = 0
                }
            } catch {
                stored = false
                failures += 1
                update { $0.lastError = "cannot record delivery outcomes: \(error)" }
                if failures == 1 {
                    outageStarted = ContinuousClock.now
                    logger.error(
                        "Cannot record delivery outcomes; holding them and retrying, sending nothing new meanwhile",
                        metadata: ["outcomes": "\(batch.count)", "error": "\(error)"])
                }
            }
            if !stored, isStopping, failures >= Self.ledgerTriesWhenStopping {
                let dropped = ledger.abandon()
                logger.error(
                    "Stopping with delivery outcomes the store did not take; those events stay pending and are sent again after a restart",
                    metadata: ["outcomes": "\(dropped)"])
                return
            }
            guard let next = ledger.endWrite(batch, stored: stored) else { return }
            batch = next
            if !stored {
                await pause(for: Self.ledgerBackoff(afterFailures: failures), token: nil)
                telemetry.progress(loopName)
            }
        }
    }

    /// How long a concurrent lane's worker lets other outcomes gather before it writes them.
    static let ledgerCoalescing: Duration = .milliseconds(20)
    /// How often a gathering writer looks whether the turn's workers are done.
    static let ledgerGatherStep: Duration = .milliseconds(4)

    /// Tries to write held outcomes a stopping lane makes before it gives them up.
    static let ledgerTriesWhenStopping = 3

    /// The wait after `failures` failed writes: 0.25 s doubling to 5 s.
    static func ledgerBackoff(afterFailures failures: Int) -> Duration {
        .milliseconds(min(5_000, 250 << min(max(0, failures - 1), 5)))
    }

    private func noteFailure(
        _ entry: OutboxEntry, attempt: Int, status: Int?, error: String, next: Int?, outcome: DeliveryOutcome
    ) {
        update {
            $0.failed += 1
            $0.lastError = error
        }
        telemetry.deliveries(
            destination: destination, outcome: next == nil ? .deadLetter : isThrottle(outcome) ? .throttled : .failed)
        var metadata: Logger.Metadata = ["event": "\(entry.event.id)", "attempt": "\(attempt)", "error": "\(error)"]
        if let status { metadata["status"] = "\(status)" }
        if let next {
            metadata["next_attempt_at"] = "\(next)"
            logger.debug("Delivery failed; will retry", metadata: metadata)
        } else {
            logger.error("Delivery failed for the last time; kept as a dead letter", metadata: metadata)
        }
    }

    private func isThrottle(_ outcome: DeliveryOutcome) -> Bool {
        if case .throttled = outcome { return true }
        return false
    }
}
