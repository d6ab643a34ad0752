import Foundation

/// A credential read from the configuration: the access token, a webhook signing secret, an Intercom client secret.
///
/// Every description and mirror shows `***`; only ``value`` gives the secret itself, for the code that sends it.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Where a secret came from, which `check-config` shows instead of the secret.
    public enum Source: Sendable, Hashable, CustomStringConvertible {
        /// Written in the configuration file under `key`.
        case inline(key: String)
        /// Read from the file at `path` (a `…_file` key).
        case file(path: String)
        /// The environment variable `name`.
        case environment(name: String)
        /// A systemd credential (`LoadCredential=`), the file at `path` under `$CREDENTIALS_DIRECTORY`.
        case credential(path: String)
        /// Not set anywhere, and not needed by the command that read the file (admin commands use the store only).
        case absent

        public var description: String {
            switch self {
            case .absent: "not set"
            case .inline: "written inline"
            case .file(let path): "from file \(path)"
            case .environment(let name): "from environment variable \(name)"
            case .credential(let path): "from systemd credential \(path)"
            }
        }
    }

    /// The secret itself. Never log or print it.
    public let value: String
    public let source: Source

    public init(_ value: String, source: Source) {
        self.value = value
        self.source = source
    }

    /// For a Standard Webhooks secret (`whsec_` + base64), the HMAC key: the decoded bytes after the prefix.
    public var webhookSigningKey: Data? { Self.webhookKey(value) }

    public var description: String { "***" }
    public var debugDescription: String { "***" }
    public var customMirror: Mirror { Mirror(self, children: ["value": "***", "source": source]) }

    /// The key of a `whsec_…` secret of 24–64 bytes (padding optional, as the reference libraries accept), else nil.
    static func webhookKey(_ text: String) -> Data? {
        guard text.hasPrefix("whsec_") else { return nil }
        var encoded = String(text.dropFirst("whsec_".count))
        guard !encoded.isEmpty, encoded.count % 4 != 1 else { return nil }
        encoded += String(repeating: "=", count: (4 - encoded.count % 4) % 4)
        guard let key = Data(base64Encoded: encoded), (24...64).contains(key.count) else { return nil }
        return key
    }
}
