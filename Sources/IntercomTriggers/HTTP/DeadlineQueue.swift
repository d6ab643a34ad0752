/// Sleepers waiting for instants, earliest first: the timers that ``CurlDriver``'s thread runs beside its transfers
/// (each `Waiter` a continuation, resumed once by whoever takes it out). Sleepers with the same deadline keep their
/// order of arrival.
///
/// A sleeper may also accept an earlier end (``Entry/earliest``): it is never the reason for a wake-up before its
/// deadline, but once the thread is awake anyway past its earliest instant, it is taken along. A periodic chore
/// with slack (the scheduler's look at the store) then rides on the polls' wake-ups instead of costing its own.
struct DeadlineQueue<Waiter> {
    struct Entry {
        let id: UInt64
        let deadline: ContinuousClock.Instant
        /// The first instant the entry may be taken at when the thread is awake anyway (its deadline for most).
        let earliest: ContinuousClock.Instant
        let waiter: Waiter

        init(id: UInt64, deadline: ContinuousClock.Instant, earliest: ContinuousClock.Instant? = nil, waiter: Waiter) {
            self.id = id
            self.deadline = deadline
            self.earliest = min(earliest ?? deadline, deadline)
            self.waiter = waiter
        }

        var isFlexible: Bool { earliest < deadline }
    }

    /// Earliest deadline first: entries that end at their deadline only.
    private(set) var entries: [Entry] = []
    /// Entries that may end early (few: a linear look at them costs less than ordering them).
    private(set) var flexible: [Entry] = []

    /// The earliest deadline, if any.
    var earliest: ContinuousClock.Instant? {
        let first = entries.first?.deadline
        guard let flexibleFirst = flexible.lazy.map(\.deadline).min() else { return first }
        return first.map { min($0, flexibleFirst) } ?? flexibleFirst
    }

    var isEmpty: Bool { entries.isEmpty && flexible.isEmpty }

    /// Adds `entry` after every entry due no later than it.
    mutating func insert(_ entry: Entry) {
        guard !entry.isFlexible else { return flexible.append(entry) }
        var (low, high) = (0, entries.count)
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].deadline <= entry.deadline { low = middle + 1 } else { high = middle }
        }
        entries.insert(entry, at: low)
    }

    /// Takes out the entry `id`, if it is still waiting.
    mutating func remove(id: UInt64) -> Entry? {
        if let index = flexible.firstIndex(where: { $0.id == id }) { return flexible.remove(at: index) }
        return entries.firstIndex { $0.id == id }.map { entries.remove(at: $0) }
    }

    /// Takes out every entry due at `now` (deadline reached, or earliest instant reached for the flexible ones),
    /// the strict ones earliest first, then the flexible ones.
    mutating func takeDue(at now: ContinuousClock.Instant) -> [Entry] {
        // The thread asks on every turn, and mostly nothing is due: no array is built or changed then.
        let count = entries.prefix { $0.deadline <= now }.count
        let flexibleDue = flexible.contains { $0.earliest <= now }
        guard count > 0 || flexibleDue else { return [] }
        var due = Array(entries.prefix(count))
        entries.removeFirst(count)
        if flexibleDue {
            due.append(contentsOf: flexible.lazy.filter { $0.earliest <= now })
            flexible.removeAll { $0.earliest <= now }
        }
        return due
    }

    /// Takes out every entry.
    mutating func takeAll() -> [Entry] {
        defer {
            entries.removeAll()
            flexible.removeAll()
        }
        return entries + flexible
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
