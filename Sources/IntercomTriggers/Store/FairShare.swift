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

    private var taken: [[OutboxEntry]]
    /// The workspaces (indices) still served this round, and those that filled their share (served next round).
    private var open: [Int]
    private var stillOpen: [Int] = []
    private var position = 0
    private var share = 0
    private var remaining: Int
    /// The read ``next()`` handed out last: its workspace's index and count.
    private var asked: (index: Int, count: Int)?

    init(workspaces: [Int64], limit: Int) {
        self.workspaces = workspaces
        self.limit = limit
        taken = Array(repeating: [], count: workspaces.count)
        open = Array(workspaces.indices)
        remaining = limit
        share = workspaces.isEmpty ? 0 : (limit + workspaces.count - 1) / workspaces.count
    }

    /// The next read of the turn — up to `count` due rows of `workspace` with a seq above `afterSeq`, in event order —
    /// or nil when the turn is complete. Hand its rows to ``record(_:)`` before asking again: a workspace that
    /// returns fewer has no more.
    mutating func next() -> (workspace: Int64, afterSeq: Int64, count: Int)? {
        while remaining > 0 {
            if position < open.count {
                let index = open[position]
                let count = min(share, remaining)
                asked = (index, count)
                return (workspaces[index], taken[index].last?.event.seq ?? 0, count)
            }
            open = stillOpen
            stillOpen = []
            position = 0
            guard !open.isEmpty else { return nil }
            share = (remaining + open.count - 1) / open.count
        }
        return nil
    }

    /// Records the rows of the read ``next()`` handed out last.
    mutating func record(_ rows: [OutboxEntry]) {
        guard let asked else { return }
        self.asked = nil
        taken[asked.index] += rows
        remaining -= rows.count
        if rows.count == asked.count { stillOpen.append(asked.index) }
        position += 1
    }

    /// The turn so far, round-robin: every workspace's first row, then every second row, …
    var turn: [OutboxEntry] {
        var turn: [OutboxEntry] = []
        turn.reserveCapacity(limit - remaining)
        for rank in 0..<(taken.map(\.count).max() ?? 0) {
            for rows in taken where rank < rows.count { turn.append(rows[rank]) }
        }
        return turn
    }

    /// The turn's rows, round-robin. `fetch(workspace, afterSeq, count)` reads up to `count` due rows of
    /// `workspace` with a seq above `afterSeq`, in event order; a workspace that returns fewer has no more.
    func take(_ fetch: (_ workspace: Int64, _ afterSeq: Int64, _ count: Int) throws -> [OutboxEntry]) rethrows
        -> [OutboxEntry]
    {
        var share = self
        while let read = share.next() {
            share.record(try fetch(read.workspace, read.afterSeq, read.count))
        }
        return share.turn
    }
}
