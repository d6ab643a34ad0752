/// Records of one kind with their search index.
///
/// Every change produces a new version of a record. Get-by-id reads `current` at once; search reads the
/// *indexed* version, which catches up to a newer version only once the clock reaches that version's
/// `visibleAt` (its change time plus the index lag, or a per-record override). Until then search keeps
/// seeing the previously indexed version, or nothing for a record never indexed. Indexed versions are kept
/// in two arrays sorted by `(created_at, key)` and `(updated_at, key)` so a page of a sorted search starts
/// with a binary search instead of a sort.
struct RecordStore<Record: IndexedRecord>: Sendable {
    struct SortEntry: Comparable, Sendable {
        var value: Int
        var key: Record.Key
        static func < (lhs: SortEntry, rhs: SortEntry) -> Bool {
            lhs.value != rhs.value ? lhs.value < rhs.value : lhs.key < rhs.key
        }
    }

    /// Records are boxed so scanning 100,000 of them copies a pointer, not 50 string fields each.
    final class Box: Sendable {
        let record: Record
        init(_ record: Record) { self.record = record }
    }

    struct Entry: Sendable {
        var current: Box
        var indexed: Box?
        /// Newer versions waiting for the index, oldest first.
        var pending: [(visibleAt: Double, record: Box)] = []
    }

    private(set) var entries: [Record.Key: Entry] = [:]
    /// Every key, sorted (creation order for our ids).
    private(set) var keys: [Record.Key] = []
    private(set) var byCreated: [SortEntry] = []
    private(set) var byUpdated: [SortEntry] = []
    private var pendingKeys: Set<Record.Key> = []
    private var nextVisibleAt = Double.infinity
    /// Bumped on every change that search can see, so cached counts know when they are stale.
    private(set) var generation = 0

    var count: Int { entries.count }
    var indexedCount: Int { byCreated.count }

    func current(_ key: Record.Key) -> Record? { entries[key]?.current.record }
    func indexed(_ key: Record.Key) -> Record? { entries[key]?.indexed?.record }

    /// Stores a new version of a record; search sees it from `visibleAt` on.
    mutating func put(_ record: Record, visibleAt: Double) {
        let key = record.key
        let box = Box(record)
        if entries[key] == nil {
            entries[key] = Entry(current: box)
            insertSorted(&keys, key)
        } else {
            entries[key]?.current = box
        }
        entries[key]?.pending.append((visibleAt, box))
        pendingKeys.insert(key)
        nextVisibleAt = min(nextVisibleAt, visibleAt)
    }

    /// Stores records that are searchable at once (seeding); one sort at the end instead of one insert each.
    mutating func bulkInsert(_ records: [Record]) {
        for record in records {
            if entries[record.key] != nil { continue }
            let box = Box(record)
            entries[record.key] = Entry(current: box, indexed: box)
            keys.append(record.key)
            byCreated.append(SortEntry(value: record.createdAt, key: record.key))
            byUpdated.append(SortEntry(value: record.updatedAt, key: record.key))
        }
        keys.sort()
        byCreated.sort()
        byUpdated.sort()
        generation += 1
    }

    /// Removes a record from storage and from search at once.
    mutating func remove(_ key: Record.Key) {
        guard let entry = entries.removeValue(forKey: key) else { return }
        removeSorted(&keys, key)
        if let indexed = entry.indexed { unindex(indexed.record) }
        pendingKeys.remove(key)
        generation += 1
    }

    /// Moves the newest pending version of `key` to become searchable at `visibleAt` (a per-record lag
    /// override). When nothing is pending, the current version is withdrawn from search until then.
    mutating func setVisibleAt(_ key: Record.Key, _ visibleAt: Double) {
        guard var entry = entries[key] else { return }
        if entry.pending.isEmpty {
            if let indexed = entry.indexed { unindex(indexed.record) }
            entry.indexed = nil
            entry.pending = [(visibleAt, entry.current)]
            generation += 1
        } else {
            entry.pending[entry.pending.count - 1].visibleAt = visibleAt
            // Older pending versions must not overtake the newest one.
            for index in entry.pending.indices where entry.pending[index].visibleAt > visibleAt {
                entry.pending[index].visibleAt = visibleAt
            }
        }
        entries[key] = entry
        pendingKeys.insert(key)
        nextVisibleAt = min(nextVisibleAt, visibleAt)
    }

    /// Makes every version whose time has come the indexed one.
    mutating func catchUp(now: Double) {
        guard now >= nextVisibleAt else { return }
        var next = Double.infinity
        for key in pendingKeys {
            guard var entry = entries[key] else {
                pendingKeys.remove(key)
                continue
            }
            guard let lastDue = entry.pending.lastIndex(where: { $0.visibleAt <= now }) else {
                next = min(next, entry.pending.map(\.visibleAt).min() ?? .infinity)
                continue
            }
            let box = entry.pending[lastDue].record
            entry.pending.removeFirst(lastDue + 1)
            if let old = entry.indexed { unindex(old.record) }
            entry.indexed = box
            index(box.record)
            entries[key] = entry
            generation += 1
            if entry.pending.isEmpty {
                pendingKeys.remove(key)
            } else {
                next = min(next, entry.pending.map(\.visibleAt).min() ?? .infinity)
            }
        }
        nextVisibleAt = next
    }

    /// Forgets everything.
    mutating func removeAll() {
        self = RecordStore()
    }

    private mutating func index(_ record: Record) {
        insertSorted(&byCreated, SortEntry(value: record.createdAt, key: record.key))
        insertSorted(&byUpdated, SortEntry(value: record.updatedAt, key: record.key))
    }

    private mutating func unindex(_ record: Record) {
        removeSorted(&byCreated, SortEntry(value: record.createdAt, key: record.key))
        removeSorted(&byUpdated, SortEntry(value: record.updatedAt, key: record.key))
    }
}

/// The first index whose element is not less than `value` (`>= value`).
func lowerBound<Element: Comparable>(_ array: [Element], _ value: Element) -> Int {
    var low = 0
    var high = array.count
    while low < high {
        let mid = (low + high) / 2
        if array[mid] < value { low = mid + 1 } else { high = mid }
    }
    return low
}

/// The first index whose element is greater than `value`.
func upperBound<Element: Comparable>(_ array: [Element], _ value: Element) -> Int {
    var low = 0
    var high = array.count
    while low < high {
        let mid = (low + high) / 2
        if value < array[mid] { high = mid } else { low = mid + 1 }
    }
    return low
}

private func insertSorted<Element: Comparable>(_ array: inout [Element], _ value: Element) {
    array.insert(value, at: lowerBound(array, value))
}

private func removeSorted<Element: Comparable>(_ array: inout [Element], _ value: Element) {
    let index = lowerBound(array, value)
    if index < array.count, array[index] == value { array.remove(at: index) }
}
