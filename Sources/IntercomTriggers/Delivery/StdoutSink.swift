import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes each event as one line of JSON (the body of its ``EventFormat``, ``EventEnvelope`` by default, and
/// `\n`) to a file descriptor, standard output by default.
///
/// A batch is written with `write(2)` as one buffer: there is no user-space buffer, so once `write` has
/// taken every byte the batch is flushed, and that is what "delivered" means for stdout (DESIGN §6; no
/// reader acknowledges anything). Partial writes and `EINTR` are retried, and `EAGAIN` on a non-blocking
/// descriptor waits for it to become writable. A closed pipe (`EPIPE`, with SIGPIPE ignored — see
/// ``ProcessSignals/ignoreSIGPIPE()``) or a closed descriptor (`EBADF`) stops the lane: nothing of that
/// batch counts as delivered, although some of its lines may have reached the reader (at least once).
///
/// Writes run on a private serial queue, so a slow reader blocks that queue's thread, not Swift's
/// cooperative pool.
public struct StdoutSink: EventSink {
    /// The workspace id written as each envelope's `app_id`, read at delivery time: on a first run it
    /// is learnt from `GET /me` after the lanes start (and nothing is queued before that).
    public let appID: @Sendable () -> String
    /// The descriptor written to (1 unless injected).
    public let fileDescriptor: Int32
    /// How each line is written (`format`).
    public let format: EventFormat
    /// When set, each event is written as this one readable line instead of its JSON (`demo` on a terminal).
    public let readable: ReadableEventLine?

    private let queue: DispatchQueue

    /// Creates a sink writing envelopes for workspace `appID` to `fileDescriptor`, which it does not own
    /// (never closes).
    public init(
        appID: @escaping @Sendable () -> String, fileDescriptor: Int32 = STDOUT_FILENO, format: EventFormat = .intercom,
        readable: ReadableEventLine? = nil
    ) {
        self.appID = appID
        self.fileDescriptor = fileDescriptor
        self.format = format
        self.readable = readable
        queue = DispatchQueue(label: "intercom-triggerd.stdout-sink")
    }

    /// Creates a sink for a workspace whose id is known.
    public init(
        appID: String, fileDescriptor: Int32 = STDOUT_FILENO, format: EventFormat = .intercom,
        readable: ReadableEventLine? = nil
    ) {
        self.init(appID: { appID }, fileDescriptor: fileDescriptor, format: format, readable: readable)
    }

    public func deliver(_ entries: [OutboxEntry], attemptAt: Int) async -> [DeliveryOutcome] {
        guard !entries.isEmpty else { return [] }
        var lines = Data()
        let appID = appID()
        for entry in entries {
            if let readable {
                lines.append(contentsOf: (readable.render(entry.event) + "\n").utf8)
                continue
            }
            lines.append(Self.line(format.body(of: entry, appID: appID, attemptAt: attemptAt)))
        }
        let bytes = lines
        let descriptor = fileDescriptor
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<WriteResult, Never>) in
            queue.async { continuation.resume(returning: Self.writeAll(bytes, to: descriptor)) }
        }
        let outcome: DeliveryOutcome
        switch result {
        case .written: outcome = .delivered
        case .closed(let reason): outcome = .stopLane(reason: "stdout is closed (\(reason))")
        case .failed(let reason):
            outcome = .failed(status: nil, error: "write to stdout failed: \(reason)", retryAfter: nil)
        }
        return Array(repeating: outcome, count: entries.count)
    }

    /// `body` as one line: a raw item may hold CR or LF only as whitespace between JSON tokens (inside
    /// strings they are escaped), so turning them into spaces keeps the same JSON on a single line.
    static func line(_ body: Data) -> Data {
        var line = body
        // memchr, not Data.contains: this runs for every byte of every event (hot in a backfill).
        let breaks = line.withUnsafeBytes { raw -> Bool in
            guard let base = raw.baseAddress else { return false }
            return memchr(base, 0x0A, raw.count) != nil || memchr(base, 0x0D, raw.count) != nil
        }
        if breaks {
            line = Data(line.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 })
        }
        line.append(0x0A)
        return line
    }

    enum WriteResult: Sendable, Equatable {
        case written
        case closed(String)
        case failed(String)
    }

    /// Writes every byte of `bytes`, retrying partial writes, `EINTR` and `EAGAIN`.
    static func writeAll(_ bytes: Data, to descriptor: Int32) -> WriteResult {
        bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> WriteResult in
            guard let base = buffer.baseAddress else { return .written }
            var offset = 0
            while offset < buffer.count {
                let count = write(descriptor, base + offset, buffer.count - offset)
                if count >= 0 {
                    offset += count
                    continue
                }
                let code = errno
                switch code {
                case EINTR:
                    continue
                case EAGAIN:
                    // A non-blocking descriptor (inherited that way): wait until it can take more.
                    var request = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&request, 1, -1)
                case EPIPE, EBADF:
                    return .closed(String(cString: strerror(code)))
                default:
                    return .failed(String(cString: strerror(code)))
                }
            }
            return .written
        }
    }
}
