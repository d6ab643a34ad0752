import Foundation

/// How a lane's due rows reach its sink, per ``LaneDispatch``: whole batches, strictly in order, or several
/// requests in flight at once.
extension DeliveryLane {
    /// The rows to attempt now, and when the next one falls due if none does. The store shares a turn among the
    /// workspaces round-robin; the next turn's round starts after the workspace this one ended with.
    ///
    /// Ordered lanes look only at each workspace's oldest pending rows: when a workspace's head is not due, nothing
    /// behind it is (order holds within a workspace; events of different workspaces have none).
    func dueRows(now: Int) async throws -> (due: [OutboxEntry], next: Int?) {
        let after = rotation.withLock { $0 }
        // On a shared store (#16) the rows a turn takes are claimed, so no other daemon's lane sends them too.
        let claim = leases.map { OutboxClaim(claimant: $0.member.id, seconds: claimSeconds) }
        if dispatch == .ordered {
            // One daemon at a time delivers an ordered destination: the others look again after a renewal.
            if let leases, !leases.holdsLane(destination) {
                return ([], now + max(1, Int(leases.renewal.components.seconds)))
            }
            let heads = try await store.dueOutbox(
                destination: destination, now: Int.max, limit: batchSize, after: after, claim: claim)
            rotation.withLock { $0 = heads.last?.workspace ?? $0 }
            var blocked = Set<StoreWorkspace>()
            var next: Int?
            let due = heads.filter { entry in
                guard !blocked.contains(entry.workspace) else { return false }
                guard entry.nextAttemptAt > now else { return true }
                blocked.insert(entry.workspace)
                next = min(next ?? entry.nextAttemptAt, entry.nextAttemptAt)
                return false
            }
            return (due, next)
        }
        let due = try await store.dueOutbox(
            destination: destination, now: now, limit: batchSize, after: after, claim: claim)
        rotation.withLock { $0 = due.last?.workspace ?? $0 }
        return (
            due, due.isEmpty ? try await store.nextAttemptAt(destination: destination, claimant: claim?.claimant) : nil
        )
    }

    /// Hands `due` to the sink per ``dispatch`` and settles each outcome as it arrives; returns the attempted
    /// rows. Rows not attempted (stop requested, a blocked head, a throttled or disabled destination, held
    /// outcomes the store would not take) are left out.
    func attempt(_ due: [OutboxEntry], at now: Int) async -> [Settled] {
        switch dispatch {
        case .batches:
            let outcomes = await sink.deliver(due, attemptAt: now)
            return await settle(Array(zip(due, outcomes)), at: now)
        case .ordered:
            var attempted: [Settled] = []
            var blocked = Set<StoreWorkspace>()
            for entry in due where !isStopping && !ledger.isHolding && !blocked.contains(entry.workspace) {
                let time = currentTime()
                guard let outcome = await sink.deliver([entry], attemptAt: time).first else { break }
                attempted += await settle([(entry, outcome)], at: time)
                if outcome == .delivered { continue }
                // A failed head blocks the rest of its workspace; a throttled, disabled or stopped destination all.
                guard case .failed = outcome else { break }
                blocked.insert(entry.workspace)
            }
            return attempted
        case .concurrent(let limit):
            return await attemptConcurrently(due, limit: max(1, limit))
        }
    }

    /// Up to `limit` sink calls in flight, one row each; stops starting new ones once the destination
    /// throttles, disables or stops the lane, or the lane is asked to stop.
    ///
    /// `limit` workers take the next row from a shared cursor until the batch is done: a child task per
    /// worker rather than per row, so a delivery costs no task creation and no wake-up of this loop. A writer
    /// beside them records their outcomes, letting those of ``ledgerCoalescing`` gather into one transaction (a
    /// write per outcome cost a third more CPU per delivery at full fan-out), so every worker keeps delivering
    /// while outcomes are written; the turn ends once the writer has written the last of them.
    private func attemptConcurrently(_ due: [OutboxEntry], limit: Int) async -> [Settled] {
        let turn = ConcurrentTurn(count: due.count)
        let workers = min(limit, due.count)
        let (written, noted) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        enum Child { case worker, writer, graceExpired }
        await withTaskGroup(of: Child.self) { group in
            // Once the lane is asked to stop, requests still in flight get `shutdownGrace`; then they are
            // abandoned (their rows stay pending), so shutdown is bounded however slow the receiver.
            group.addTask { [stopping, shutdownGrace] in
                await stopping.wait(since: 0)
                if !Task.isCancelled { try? await Task.sleep(for: shutdownGrace) }
                return .graceExpired
            }
            group.addTask {
                for await _ in written {
                    // Gather for `ledgerCoalescing`, but not past the last worker: the turn waits for this write.
                    let gathered = ContinuousClock.now + Self.ledgerCoalescing
                    while ContinuousClock.now < gathered, !turn.workersDone, !Task.isCancelled {
                        try? await Task.sleep(for: Self.ledgerGatherStep)
                    }
                    await self.writeLedger()
                }
                await self.writeLedger()  // what the last workers noted
                return .writer
            }
            for _ in 0..<workers {
                group.addTask { [sink, ledger] in
                    while !self.isStopping, !ledger.isHolding, let index = turn.take() {
                        let time = self.currentTime()
                        guard let outcome = await sink.deliver([due[index]], attemptAt: time).first else { continue }
                        // An abandoned request's late answer is not recorded: the row is simply still due.
                        if Task.isCancelled { break }
                        turn.record(self.note([(due[index], outcome)], at: time))
                        noted.yield()
                    }
                    return .worker
                }
            }
            var running = workers
            if running == 0 { noted.finish() }
            while let child = await group.next() {
                switch child {
                case .graceExpired:
                    group.cancelAll()
                case .worker:
                    running -= 1
                    if running == 0 {
                        turn.markWorkersDone()
                        noted.finish()
                    }
                case .writer:
                    group.cancelAll()  // ends the grace timer
                }
            }
        }
        return turn.settled
    }
}
