extension RecordStore {
    /// Runs a search over the indexed versions.
    ///
    /// Sorts on `created_at`/`updated_at` walk the matching sorted index from the cursor, so a page costs
    /// about `perPage` predicate calls when most records match; other sorts filter, then sort the matches.
    /// `totalCount` is a full scan, cached in `counts` per query until the index changes.
    mutating func search(
        _ query: SearchQuery<Record>, schema: SearchSchema<Record>, now: Double,
        counts: inout [String: (generation: Int, count: Int)]
    ) throws(APIError) -> SearchPage<Record> {
        catchUp(now: now)
        let countKey = "\(query.cacheKey)|\(schema.dayGranularDates)"
        let total: Int
        if let cached = counts[countKey], cached.generation == generation {
            total = cached.count
        } else {
            var count = 0
            for entry in entries.values {
                if let box = entry.indexed, query.matches(box.record) { count += 1 }
            }
            if counts.count > 256 { counts.removeAll() }
            counts[countKey] = (generation, count)
            total = count
        }

        let sortField = query.sortField ?? "updated_at"
        let isDate = query.sortField == nil || query.sortKind == .date
        let limit = query.perPage + 1
        var found: [Record] = []
        var lastKeys: [SortKey] = []

        if sortField == "created_at" || sortField == "updated_at" {
            let index = sortField == "created_at" ? byCreated : byUpdated
            var position: Int
            if let cursor = query.cursor {
                guard case .number(let seconds)? = SortKey(cursor: cursor.sortValue, isDate: true),
                    let key = Record.key(from: cursor.id)
                else { throw SearchCursor.invalid }
                let probe = SortEntry(value: seconds, key: key)
                position = query.ascending ? upperBound(index, probe) : lowerBound(index, probe) - 1
            } else {
                position = query.ascending ? 0 : index.count - 1
            }
            while position >= 0, position < index.count, found.count < limit {
                if let box = entries[index[position].key]?.indexed, query.matches(box.record) {
                    found.append(box.record)
                    lastKeys.append(.number(index[position].value))
                }
                position += query.ascending ? 1 : -1
            }
        } else {
            guard let field = schema.field(sortField) else { throw SearchCursor.invalid }
            var matching: [(SortKey, Record.Key, Box)] = []
            for entry in entries.values {
                if let box = entry.indexed, query.matches(box.record) {
                    matching.append((SortKey(field.read(box.record)), box.record.key, box))
                }
            }
            matching.sort { lhs, rhs in
                let ordered = lhs.0 != rhs.0 ? lhs.0 < rhs.0 : lhs.1 < rhs.1
                return query.ascending ? ordered : !ordered && (lhs.0 != rhs.0 || lhs.1 != rhs.1)
            }
            var start = 0
            if let cursor = query.cursor {
                guard let value = SortKey(cursor: cursor.sortValue, isDate: isDate),
                    let key = Record.key(from: cursor.id)
                else { throw SearchCursor.invalid }
                start =
                    matching.firstIndex { item in
                        let after = item.0 != value ? item.0 > value : item.1 > key
                        let before = item.0 != value ? item.0 < value : item.1 < key
                        return query.ascending ? after : before
                    } ?? matching.count
            }
            for item in matching[start...].prefix(limit) {
                found.append(item.2.record)
                lastKeys.append(item.0)
            }
        }

        let page = query.cursor?.page ?? 1
        var next: SearchCursor?
        if found.count > query.perPage {
            found.removeLast()
            lastKeys.removeLast()
            if let last = found.last, let lastKey = lastKeys.last {
                next = SearchCursor(sortValue: lastKey.json(isDate: isDate), id: last.keyJSON, page: page + 1)
            }
        }
        return SearchPage(records: found, totalCount: total, page: page, perPage: query.perPage, next: next)
    }
}
