import Foundation

/// Which events a destination receives (`[[destination.when]]`, #14): conditions on the event's item and its
/// changes that must all hold. No condition: every event.
///
/// ``matches(item:changes:)`` reads the item's bytes with ``JSONScanner`` (one validating pass, then only the
/// objects on the conditions' paths; nothing is decoded), cheap enough for a page commit to call once per event
/// and filtered destination: 4–7 µs for a 2 KB contact and one to three conditions (`swiftc -O`).
public struct EventFilter: Sendable, Equatable, CustomStringConvertible {
    public var conditions: [FilterCondition]

    public init(_ conditions: [FilterCondition] = []) {
        self.conditions = conditions
    }

    /// No condition: every event passes.
    public var isEmpty: Bool { conditions.isEmpty }

    /// `every event`, or `when custom_attributes.plan = "pro" and custom_attributes.plan changed`.
    public var description: String {
        isEmpty ? "every event" : "when " + conditions.map(\.description).joined(separator: " and ")
    }

    /// Whether every condition holds for the event whose item is `item` (the raw JSON of a contact or a
    /// conversation) and whose changes are `changes` (``ItemChanges/json``, nil when the event has none).
    /// An item that is not a JSON object matches no condition; `changed` never holds without changes.
    public func matches(item: Data, changes: Data?) -> Bool {
        guard !conditions.isEmpty else { return true }
        let scanner = JSONScanner(item)
        guard let members = try? scanner.documentMembers() else { return false }
        var changeList: ChangeList?
        var changesRead = false
        for condition in conditions {
            if condition.operator == .changed {
                if !changesRead {
                    changeList = changes.flatMap(ChangeList.init)
                    changesRead = true
                }
                guard let changeList, changeList.lists(condition.field) else { return false }
            } else {
                let values = scanner.values(at: condition.segments[...], in: members)
                guard condition.holds(for: values, in: scanner) else { return false }
            }
        }
        return true
    }

    /// The changed paths of an event, as ``ItemChanges/json`` writes them.
    private struct ChangeList {
        let scanner: JSONScanner
        let members: [(key: String, value: Range<Int>)]

        init?(_ json: Data) {
            scanner = JSONScanner(json)
            guard let members = try? scanner.documentMembers() else { return nil }
            self.members = members
        }

        /// Whether `path` changed: a changed path equals it or lies beneath it, or it lies beneath a changed path
        /// (an object added, removed or replaced whole) whose previous and current values differ at `path`.
        func lists(_ path: String) -> Bool {
            for (key, change) in members {
                if key == path || Self.isAncestor(path, of: key) { return true }
                guard Self.isAncestor(key, of: path), let sides = scanner.objectMembers(at: change) else { continue }
                let rest = path.utf8.dropFirst(key.utf8.count + 1).split(
                    separator: UInt8(ascii: "."), omittingEmptySubsequences: false
                ).map { String(decoding: $0, as: UTF8.self) }
                let before = JSONScanner.value("previous", in: sides).map { scanner.values(at: rest[...], below: $0) }
                let after = JSONScanner.value("current", in: sides).map { scanner.values(at: rest[...], below: $0) }
                if !Self.same(before ?? [], after ?? [], in: scanner) { return true }
            }
            return false
        }

        /// Whether `path` lies beneath `ancestor`: `custom_attributes` is an ancestor of `custom_attributes.plan`.
        static func isAncestor(_ ancestor: String, of path: String) -> Bool {
            let count = ancestor.utf8.count
            return path.utf8.count > count && path.utf8.starts(with: ancestor.utf8)
                && path.utf8.dropFirst(count).first == UInt8(ascii: ".")
        }

        static func same(_ lhs: [Range<Int>], _ rhs: [Range<Int>], in scanner: JSONScanner) -> Bool {
            lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { ItemChanges.sameJSON(scanner, $0, scanner, $1) }
        }
    }
}

extension JSONScanner {
    /// The values at `path` in the object whose `members` are given: see ``values(at:below:)``.
    func values(at path: ArraySlice<String>, in members: [(key: String, value: Range<Int>)]) -> [Range<Int>] {
        guard let first = path.first, let range = JSONScanner.value(first, in: members) else { return [] }
        return values(at: path.dropFirst(), below: range)
    }

    /// The values at `path` (names of nested attributes) below the value at `range`. An array on the way, or at
    /// the end, stands for its elements: `tags.tags.name` is the name of each tag. `null` is no value.
    func values(at path: ArraySlice<String>, below range: Range<Int>) -> [Range<Int>] {
        var found: [Range<Int>] = []
        collect(path, below: range, into: &found)
        return found
    }

    private func collect(_ path: ArraySlice<String>, below range: Range<Int>, into found: inout [Range<Int>]) {
        switch bytes[range.lowerBound] {
        case UInt8(ascii: "["):
            for element in (try? elements(ofArrayAt: range)) ?? [] { collect(path, below: element, into: &found) }
        case UInt8(ascii: "{") where !path.isEmpty:
            guard let members = objectMembers(at: range), let next = JSONScanner.value(path.first!, in: members)
            else { return }
            collect(path.dropFirst(), below: next, into: &found)
        default:
            if path.isEmpty && !isNull(range) { found.append(range) }
        }
    }
}
