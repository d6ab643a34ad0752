import Dispatch
import Foundation
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The demo's view of the noise that is not an event: every `interval`, one readable line per workspace and topic
/// whose updates were suppressed since the last look (``DaemonTelemetry/Snapshot/updatesSuppressedByWorkspace``),
/// written beside the events' lines (which name the workspace when there are several). Only on a terminal: piped
/// output stays one JSON event per line.
public final class SuppressedUpdatesReporter: Service {
    let telemetry: DaemonTelemetry
    let line: ReadableEventLine
    let interval: Duration
    let clock: any WallClock
    let output: @Sendable (String) async -> Void
    /// What was reported so far, per workspace and topic.
    private let reported = Mutex<[String: [String: Int]]>([:])

    /// Reports `telemetry`'s suppressed updates every `interval`, each line handed to `write` (standard output
    /// by default, from a private queue so a slow terminal never blocks the cooperative pool).
    public init(
        telemetry: DaemonTelemetry, line: ReadableEventLine, interval: Duration,
        clock: any WallClock = SystemWallClock(),
        write: (@Sendable (String) async -> Void)? = nil
    ) {
        self.telemetry = telemetry
        self.line = line
        self.interval = interval
        self.clock = clock
        self.output = write ?? Self.standardOutput
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await self.clock.sleep(for: self.interval)
                for text in self.newLines() { await self.output(text) }
            }
        }
    }

    /// The lines for what was suppressed since the last call, by workspace name, then topic name.
    func newLines() -> [String] {
        let now = Int(clock.now().timeIntervalSince1970)
        let counts = telemetry.snapshot.updatesSuppressedByWorkspace
        return reported.withLock { reported in
            var lines: [String] = []
            for (workspace, topics) in counts.sorted(by: { $0.key < $1.key }) {
                for (topic, total) in topics.sorted(by: { $0.key < $1.key }) {
                    let new = total - (reported[workspace]?[topic] ?? 0)
                    guard new > 0 else { continue }
                    lines.append(line.suppressed(new, topic: topic, at: now, workspace: workspace))
                    reported[workspace, default: [:]][topic] = total
                }
            }
            return lines
        }
    }

    private static let queue = DispatchQueue(label: "intercom-triggerd.suppressed-reporter")

    private static let standardOutput: @Sendable (String) async -> Void = { text in
        let bytes = Array((text + "\n").utf8)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            queue.async {
                _ = bytes.withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
                done.resume()
            }
        }
    }
}
