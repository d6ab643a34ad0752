/// Sleepers waiting for instants, earliest first: the timers that ``CurlDriver``'s thread runs beside its transfers
/// (each `Waiter` a continuation, resumed once by whoever takes it out). Sleepers with the same deadline keep their
/// order of arrival.
struct DeadlineQueue<Waiter> {
    struct Entry {
        let id: UInt64
        let deadline: ContinuousClock.Instant
        let waiter: Waiter
    }

    /// Earliest deadline first.
    private(set) var entries: [Entry] = []

    /// The earliest deadline, if any.
    var earliest: ContinuousClock.Instant? { entries.first?.deadline }

    var isEmpty: Bool { entries.isEmpty }

    /// Adds `entry` after every entry due no later than it.
    mutating func insert(_ entry: Entry) {
        var (low, high) = (0, entries.count)
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].deadline <= entry.deadline { low = middle + 1 } else { high = middle }
        }
        entries.insert(entry, at: low)
    }

    /// Takes out the entry `id`, if it is still waiting.
    mutating func remove(id: UInt64) -> Entry? {
        entries.firstIndex { $0.id == id }.map { entries.remove(at: $0) }
    }

    /// Takes out every entry due at `now` (deadline reached), earliest first.
    mutating func takeDue(at now: ContinuousClock.Instant) -> [Entry] {
        let count = entries.prefix { $0.deadline <= now }.count
        guard count > 0 else { return [] }
        defer { entries.removeFirst(count) }
        return Array(entries.prefix(count))
    }

    /// Takes out every entry.
    mutating func takeAll() -> [Entry] {
        defer { entries.removeAll() }
        return entries
    }

    /// Milliseconds from `now` until `earliest`, rounded up (a poll that ends early would only poll again), at most
    /// `limit`; `limit` when the queue is empty.
    func milliseconds(from now: ContinuousClock.Instant, limit: Int32) -> Int32 {
        guard let earliest else { return limit }
        let (seconds, attoseconds) = now.duration(to: earliest).components
        guard seconds < Int64(limit) / 1_000 + 1 else { return limit }
        let nanoseconds = max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        return Int32(min(Int64(limit), (nanoseconds + 999_999) / 1_000_000))
    }
}
