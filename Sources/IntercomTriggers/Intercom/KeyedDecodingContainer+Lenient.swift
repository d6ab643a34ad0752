import Foundation

/// Intercom's payloads vary between versions and examples (ids as numbers or strings, `per_page`
/// as `5` or `"5"`, fields null or absent). These readers accept every such form and treat a
/// value of an unexpected type as absent rather than failing the whole item.
extension KeyedDecodingContainer {
    func lenientString(_ key: Key) -> String? {
        if let value = try? decodeIfPresent(String.self, forKey: key) { return value }
        if let value = try? decodeIfPresent(Int64.self, forKey: key) { return String(value) }
        if let value = try? decodeIfPresent(Double.self, forKey: key) { return String(value) }
        return nil
    }

    func lenientInt(_ key: Key) -> Int? {
        if let value = try? decodeIfPresent(Int.self, forKey: key) { return value }
        if let value = try? decodeIfPresent(Double.self, forKey: key), value.isFinite,
            value.magnitude < 9.2e18
        {
            return Int(value)
        }
        if let value = try? decodeIfPresent(String.self, forKey: key) {
            return Int(value.trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    func lenientBool(_ key: Key) -> Bool? {
        if let value = try? decodeIfPresent(Bool.self, forKey: key) { return value }
        if let value = try? decodeIfPresent(String.self, forKey: key) { return Bool(value) }
        return nil
    }

    /// A nested object decoded leniently: absent, null or malformed gives nil.
    func lenient<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        (try? decodeIfPresent(type, forKey: key)) ?? nil
    }

    /// The required `id`, as a string whether Intercom sent a string or a number.
    func requiredID(_ key: Key) throws -> String {
        guard let id = lenientString(key), !id.isEmpty else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "missing or empty id"))
        }
        return id
    }
}
