import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A swift-log handler writing one line per record, for stderr under systemd or in a terminal.
///
/// Connected to the journal (see ``isJournalStream(_:fileDescriptor:)``) a line is
/// `<6>poller: message key=value`: journald reads the `<N>` syslog priority and strips it, and stamps the time
/// itself. Otherwise it is `2026-11-21T14:25:35.123Z info poller: message key=value`. The tag is the record's
/// `component` metadata (the part of the daemon that logs), else the logger's label. Newlines and other control
/// characters in a message or a value are escaped (`String.escapingControlCharacters`), so a record is
/// always one line (one journal entry, one priority) and cannot act on the terminal that shows it.
public struct JournalLogHandler: LogHandler {
    /// How a record is written.
    public enum Format: Sendable, Equatable {
        /// A syslog priority prefix and no timestamp: stderr is a journal stream.
        case journal
        /// A UTC timestamp and the level name: a terminal, a file or a pipe.
        case plain
    }

    /// Receives each finished line, without its newline. The seam tests capture lines through.
    public typealias Output = @Sendable (String) -> Void

    /// The logger's label: the tag of records without `component` metadata.
    public let label: String
    public let format: Format
    /// Records below this level are dropped (by `Logger`, before they are built).
    public var logLevel: Logger.Level
    /// Metadata on every record of this logger; a record's own metadata wins on a clash.
    public var metadata: Logger.Metadata = [:]
    /// Metadata from the task context, merged between the logger's and the record's.
    public var metadataProvider: Logger.MetadataProvider?
    private let output: Output
    private let now: @Sendable () -> Date

    /// - Parameters:
    ///   - now: the time of a plain line (injected by tests).
    ///   - output: where lines go; ``standardError(label:level:format:)`` writes them to fd 2.
    public init(
        label: String, format: Format, level: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider,
        now: @escaping @Sendable () -> Date = { Date() }, output: @escaping Output
    ) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.now = now
        self.output = output
    }

    /// A handler writing to stderr in `format` (decide it once per process with ``format(environment:fileDescriptor:)``).
    public static func standardError(label: String, level: Logger.Level, format: Format) -> JournalLogHandler {
        JournalLogHandler(label: label, format: format, level: level) { line in
            writeLine(line, to: STDERR_FILENO)
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            merged.merge(provided) { $1 }
        }
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        if let error = event.error { merged["error"] = "\(error)" }
        output(render(level: event.level, message: event.message.description, metadata: merged))
    }

    /// The line for one record (no newline).
    func render(level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        var metadata = metadata
        let tag = metadata.removeValue(forKey: "component").map { "\($0)" } ?? label
        var line: String
        switch format {
        case .journal:
            line = "<\(Self.priority(level))>"
        case .plain:
            line = "\(Self.timestamp(now())) \(level) "
        }
        if !tag.isEmpty { line += tag.escapingControlCharacters + ": " }
        line += message.escapingControlCharacters
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            line += " \(key)=\(Self.quoted("\(value)"))"
        }
        return line
    }

    // MARK: - Journal detection

    /// The format for stderr of this process: ``Format/journal`` when it is connected to the journal.
    public static func format(environment: [String: String], fileDescriptor: Int32 = STDERR_FILENO) -> Format {
        isJournalStream(environment["JOURNAL_STREAM"], fileDescriptor: fileDescriptor) ? .journal : .plain
    }

    /// Whether `fileDescriptor` is the journal stream systemd described in `JOURNAL_STREAM` ("DEVICE:INODE", in
    /// decimal). A set variable is not enough: a child that inherited it but whose stderr was redirected (to a
    /// file, a pipe, a terminal) must not write priority prefixes, so the descriptor's device and inode must match
    /// (systemd.exec(5), "$JOURNAL_STREAM").
    public static func isJournalStream(_ value: String?, fileDescriptor: Int32) -> Bool {
        guard let value else { return false }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var status = stat()
        guard fstat(fileDescriptor, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }

    /// The syslog priority journald reads from a `<N>` prefix (sd-daemon(3)).
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .critical, .error: 3
        case .warning: 4
        case .notice: 5
        case .info: 6
        case .debug, .trace: 7
        }
    }

    // MARK: - Rendering

    /// A metadata value as it goes after `key=`: bare when it has no space, quote or `=`, else in double quotes.
    static func quoted(_ value: String) -> String {
        let plain =
            !value.isEmpty
            && !value.unicodeScalars.contains {
                $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\\" || String.needsEscape($0)
            }
        if plain { return value }
        return "\""
            + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .escapingControlCharacters
            + "\""
    }

    /// `date` as `2026-11-21T14:25:35.123Z`.
    static func timestamp(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds.quotientAndRemainder(dividingBy: 1000).quotient)
        let fraction = Int(milliseconds - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let fractionText = String(fraction)
        return
            "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
            + "T\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + String(repeating: "0", count: 3 - fractionText.count) + fractionText + "Z"
    }

    // MARK: - Writing

    /// Serialises lines from every thread of the process, so records never interleave mid-line.
    private static let writeLock = Mutex(())

    /// Writes `line` and a newline to `fileDescriptor` in as few `write(2)` calls as the kernel allows.
    static func writeLine(_ line: String, to fileDescriptor: Int32) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        writeLock.withLock { _ in
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return  // stderr is gone: nowhere left to say so
                    }
                    offset += written
                }
            }
        }
    }
}
