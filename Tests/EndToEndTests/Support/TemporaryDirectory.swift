import Foundation

/// A fresh directory under the system's temporary directory, removed when the value is released (keep a
/// reference for as long as processes use it). Set `E2E_KEEP_TMP=1` to keep it for a post-mortem.
final class TemporaryDirectory: Sendable {
    /// The directory.
    let url: URL

    /// Creates `…/e2e-<label>-<random>`.
    init(_ label: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "e2e-\(label)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the directory.
    func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    deinit {
        if ProcessInfo.processInfo.environment["E2E_KEEP_TMP"] == nil {
            try? FileManager.default.removeItem(at: url)
        }
    }
}
