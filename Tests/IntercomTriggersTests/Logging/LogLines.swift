import Foundation
import Logging
import Synchronization

@testable import IntercomTriggers

/// Lines written by ``JournalLogHandler``s through their output seam, for assertions.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    /// A logger whose handler writes here in `format` at `level`, stamping plain lines with `now`.
    func logger(
        label: String = "intercom-triggerd", format: JournalLogHandler.Format = .plain, level: Logger.Level = .trace,
        now: @escaping @Sendable () -> Date = { Date(timeIntervalSince1970: 1_763_716_800.125) }
    ) -> Logger {
        Logger(label: label) { label in
            JournalLogHandler(
                label: label, format: format, level: level, metadataProvider: nil, now: now,
                output: { self.append($0) })
        }
    }
}
