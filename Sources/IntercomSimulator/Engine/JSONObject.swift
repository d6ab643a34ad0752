/// A JSON object that remembers the order its keys were first set in.
struct JSONObject: Sendable, Equatable {
    /// Key/value pairs in insertion order. Small objects are searched linearly, which is cheaper than
    /// hashing for the 10–70 keys of a rendered record.
    private(set) var pairs: [(key: String, value: JSONValue)] = []

    init() {}

    /// The keys in insertion order.
    var keys: [String] { pairs.map(\.key) }

    /// The value for `key`; assigning `nil` removes the key.
    subscript(key: String) -> JSONValue? {
        get { pairs.first { $0.key == key }?.value }
        set {
            let index = pairs.firstIndex { $0.key == key }
            switch (index, newValue) {
            case (let index?, let value?): pairs[index].value = value
            case (let index?, nil): pairs.remove(at: index)
            case (nil, let value?): pairs.append((key, value))
            case (nil, nil): break
            }
        }
    }

    /// Sets the value at a path of keys, creating objects on the way (and replacing a non-object met there);
    /// `nil` removes the last key.
    mutating func set(_ path: ArraySlice<String>, to value: JSONValue?) {
        guard let key = path.first else { return }
        guard path.count > 1 else {
            self[key] = value
            return
        }
        var inner = self[key]?.objectValue ?? JSONObject()
        inner.set(path.dropFirst(), to: value)
        self[key] = .object(inner)
    }

    /// Merges `other` into this object: a member that is an object on both sides is merged the same way, any
    /// other member of `other` replaces this one's.
    mutating func merge(_ other: JSONObject) {
        for (key, value) in other.pairs {
            if case .object(let incoming) = value, case .object(var existing)? = self[key] {
                existing.merge(incoming)
                self[key] = .object(existing)
            } else {
                self[key] = value
            }
        }
    }

    /// The number of keys.
    var count: Int { pairs.count }

    static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.count == rhs.count && lhs.pairs.allSatisfy { rhs[$0.key] == $0.value }
    }
}
