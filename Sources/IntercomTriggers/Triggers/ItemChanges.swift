import Foundation

/// What changed between two versions of an Intercom item: every attribute path whose value differs, at any
/// depth (`email`, `custom_attributes.plan`, `location.city`), with its previous and current value as the
/// items had them, byte for byte. Arrays (tags, lists) are compared whole; a value is compared by its JSON
/// text with insignificant whitespace ignored. An attribute one side lacks has no value on that side.
///
/// The `changes` of an update event (#14): `{"custom_attributes.plan":{"previous":"free","current":"pro"}}`.
public struct ItemChanges: Sendable, Equatable {
    /// One attribute's change; `nil` on a side where the attribute is absent.
    public struct Change: Sendable, Equatable {
        public var previous: Data?
        public var current: Data?
    }

    /// Changed attributes by dotted path, in the order the current item (then the previous one) lists them.
    public private(set) var changes: [(path: String, change: Change)]

    public static func == (lhs: ItemChanges, rhs: ItemChanges) -> Bool {
        lhs.changes.elementsEqual(rhs.changes) { $0.path == $1.path && $0.change == $1.change }
    }

    /// Whether nothing changed (or only ignored attributes did).
    public var isEmpty: Bool { changes.isEmpty }

    /// The changes between `previous` and `current` (two JSON objects), leaving out the attributes at or under
    /// a path in `ignoring`. Throws when either is not a JSON object.
    public init(previous: Data, current: Data, ignoring: Set<String> = []) throws(JSONScanner.SyntaxError) {
        let old = JSONScanner(previous)
        let new = JSONScanner(current)
        let oldRoot = try old.validate()
        let newRoot = try new.validate()
        guard let oldMembers = old.objectMembers(at: oldRoot), let newMembers = new.objectMembers(at: newRoot)
        else { throw JSONScanner.SyntaxError(offset: 0, reason: "an item must be a JSON object") }
        changes = []
        compare(old, oldMembers, new, newMembers, prefix: "", ignoring: ignoring)
    }

    private mutating func compare(
        _ old: JSONScanner, _ oldMembers: [(key: String, value: Range<Int>)], _ new: JSONScanner,
        _ newMembers: [(key: String, value: Range<Int>)], prefix: String, ignoring: Set<String>
    ) {
        // Looked up by key, the first of repeated keys as ``JSONScanner/value(_:in:)`` finds it: a search per key
        // made an item of 50,000 members cost 5 s inside the store's transaction (found by scripts/fuzz).
        var previous = [String: Range<Int>](minimumCapacity: oldMembers.count)
        for (key, range) in oldMembers where previous[key] == nil { previous[key] = range }
        var seen = Set<String>(minimumCapacity: newMembers.count)
        for (key, newRange) in newMembers where seen.insert(key).inserted {
            let path = prefix + key
            guard !ignoring.contains(path) else { continue }
            guard let oldRange = previous[key] else {
                changes.append((path, Change(previous: nil, current: new.slice(newRange))))
                continue
            }
            if let newObject = new.objectMembers(at: newRange), let oldObject = old.objectMembers(at: oldRange) {
                compare(old, oldObject, new, newObject, prefix: path + ".", ignoring: ignoring)
            } else if !Self.sameJSON(old, oldRange, new, newRange) {
                changes.append((path, Change(previous: old.slice(oldRange), current: new.slice(newRange))))
            }
        }
        for (key, oldRange) in oldMembers where seen.insert(key).inserted {
            let path = prefix + key
            guard !ignoring.contains(path) else { continue }
            changes.append((path, Change(previous: old.slice(oldRange), current: nil)))
        }
    }

    /// Whether two values are the same JSON text, whitespace outside strings aside.
    static func sameJSON(_ old: JSONScanner, _ oldRange: Range<Int>, _ new: JSONScanner, _ newRange: Range<Int>) -> Bool
    {
        if old.bytes[oldRange].elementsEqual(new.bytes[newRange]) { return true }
        return JSONLayout.compact(old.slice(oldRange)) == JSONLayout.compact(new.slice(newRange))
    }

    /// The changes as a JSON object: `{"path":{"previous":…,"current":…},…}`, a side left out where the
    /// attribute is absent.
    public var json: Data {
        var out = Data("{".utf8)
        for (index, (path, change)) in changes.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONText.append(path, to: &out)
            out.append(contentsOf: ":{".utf8)
            var first = true
            for (name, value) in [("previous", change.previous), ("current", change.current)] {
                guard let value else { continue }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                out.append(contentsOf: "\"\(name)\":".utf8)
                out.append(value)
            }
            out.append(contentsOf: "}".utf8)
        }
        out.append(contentsOf: "}".utf8)
        return out
    }
}
