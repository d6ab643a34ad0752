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

    /// The number of keys.
    var count: Int { pairs.count }

    static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.count == rhs.count && lhs.pairs.allSatisfy { rhs[$0.key] == $0.value }
    }
}
