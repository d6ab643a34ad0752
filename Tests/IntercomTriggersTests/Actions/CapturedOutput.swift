import Foundation
import Synchronization

@testable import IntercomTriggers

/// An `ActionOutput` that keeps what an action wrote, for assertions.
final class CapturedOutput: ActionOutput {
    private let stdout = Mutex(Data())
    private let stderr = Mutex([String]())

    func standardOutput(_ data: Data) { stdout.withLock { $0.append(data) } }

    func standardError(_ line: String) { stderr.withLock { $0.append(line) } }

    /// Everything written to stdout, as text.
    var out: String { String(decoding: stdout.withLock { $0 }, as: UTF8.self) }

    /// The non-empty stdout lines.
    var lines: [String] { out.split(separator: "\n").map(String.init) }

    /// The stderr lines.
    var errors: [String] { stderr.withLock { $0 } }
}
