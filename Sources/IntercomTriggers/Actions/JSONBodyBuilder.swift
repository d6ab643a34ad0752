import Foundation

/// A JSON object built key by key in order, leaving out keys whose value is nil, so request bodies
/// carry exactly the flags that were given.
public struct JSONBodyBuilder: Sendable {
    private var members: [(key: String, json: String)] = []

    public init() {}

    /// Sets `key` to `json`, already valid JSON text (a checked flag, a nested object).
    public mutating func raw(_ key: String, _ json: String?) {
        guard let json else { return }
        members.removeAll { $0.key == key }
        members.append((key, json))
    }

    public mutating func string(_ key: String, _ value: String?) { raw(key, value.map(JSONText.string)) }

    public mutating func int(_ key: String, _ value: Int?) { raw(key, value.map(String.init)) }

    public mutating func bool(_ key: String, _ value: Bool?) { raw(key, value.map { $0 ? "true" : "false" }) }

    /// The object as JSON text.
    public var json: String {
        "{" + members.map { JSONText.string($0.key) + ":" + $0.json }.joined(separator: ",") + "}"
    }

    /// The object as bytes.
    public var data: Data { Data(json.utf8) }
}
