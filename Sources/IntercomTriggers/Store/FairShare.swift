/// How one lane turn of `limit` rows is shared among the workspaces with pending rows (#15): each first gets an
/// equal share (⌈limit/k⌉ of k workspaces), and what a workspace cannot fill goes to the others in further rounds.
/// The turn lists them round-robin (every workspace's first row, then every second row, …), each workspace's rows
/// in event order, so one workspace's backlog never holds back another's new events.
struct FairShare {
    /// The workspaces with pending rows, in the order they are served: those after the lane's rotation point
    /// first (``rotated(_:after:)``), so a turn too short for one row each starts where the last one stopped.
    let workspaces: [Int64]
    /// The most rows the turn takes.
    let limit: Int

    /// `workspaces` (ascending) starting with the first one after `rotation`, wrapping round.
    static func rotated(_ workspaces: [Int64], after rotation: Int64?) -> [Int64] {
        guard let rotation, let split = workspaces.firstIndex(where: { $0 > rotation }) else { return workspaces }
        return Array(workspaces[split...] + workspaces[..<split])
    }

    /// The turn's rows, round-robin. `fetch(workspace, afterSeq, count)` reads up to `count` due rows of
    /// `workspace` with a seq above `afterSeq`, in event order; a workspace that returns fewer has no more.
    func take(_ fetch: (_ workspace: Int64, _ afterSeq: Int64, _ count: Int) throws -> [OutboxEntry]) rethrows
        -> [OutboxEntry]
    {
        var taken: [[OutboxEntry]] = Array(repeating: [], count: workspaces.count)
        var open = Array(workspaces.indices)
        var remaining = limit
        while remaining > 0, !open.isEmpty {
            let share = (remaining + open.count - 1) / open.count
            var stillOpen: [Int] = []
            for index in open where remaining > 0 {
                let count = min(share, remaining)
                let rows = try fetch(workspaces[index], taken[index].last?.event.seq ?? 0, count)
                taken[index] += rows
                remaining -= rows.count
                if rows.count == count { stillOpen.append(index) }
            }
            open = stillOpen
        }
        var turn: [OutboxEntry] = []
        turn.reserveCapacity(limit - remaining)
        for rank in 0..<(taken.map(\.count).max() ?? 0) {
            for rows in taken where rank < rows.count { turn.append(rows[rank]) }
        }
        return turn
    }
}
