import Foundation
import IntercomTriggersTesting
import Synchronization
import Testing

@testable import IntercomTriggers

/// The demo shows the updates it suppressed as noise: one line per topic with the count since the last look.
@Suite struct SuppressedUpdatesReporterTests {
    @Test func eachLookReportsOnlyWhatIsNew() {
        let telemetry = DaemonTelemetry()
        let clock = ManualWallClock(now: Date(timeIntervalSince1970: 1_790_000_000))
        let reporter = SuppressedUpdatesReporter(
            telemetry: telemetry, line: ReadableEventLine(timeZone: TimeZone(identifier: "UTC")!),
            interval: .seconds(2),
            clock: clock, write: { _ in })
        #expect(reporter.newLines().isEmpty)
        telemetry.updatesSuppressed(topic: "contact.user.updated", count: 2)
        telemetry.updatesSuppressed(topic: "contact.lead.updated", count: 1)
        #expect(
            reporter.newLines() == [
                "14:13:20  contact.lead.updated       · 1 update suppressed: only activity fields moved (ignore_fields), no event",
                "14:13:20  contact.user.updated       · 2 updates suppressed: only activity fields moved (ignore_fields), no event",
            ])
        #expect(reporter.newLines().isEmpty)
        telemetry.updatesSuppressed(topic: "contact.user.updated", count: 3)
        #expect(reporter.newLines().map { $0.contains("· 3 updates suppressed") } == [true])
    }

    @Test func withSeveralWorkspacesEachLineNamesItsWorkspace() {
        let telemetry = DaemonTelemetry()
        var line = ReadableEventLine(timeZone: TimeZone(identifier: "UTC")!)
        line.workspaceNames = ["app1": "demo-1", "app2": "demo-22"]
        let reporter = SuppressedUpdatesReporter(
            telemetry: telemetry, line: line, interval: .seconds(2),
            clock: ManualWallClock(now: Date(timeIntervalSince1970: 1_790_000_000)), write: { _ in })
        telemetry.updatesSuppressed(topic: "contact.user.updated", count: 2, workspace: "demo-22")
        telemetry.updatesSuppressed(topic: "contact.user.updated", count: 1, workspace: "demo-1")
        #expect(
            reporter.newLines() == [
                "14:13:20  demo-1   contact.user.updated       · 1 update suppressed: only activity fields moved (ignore_fields), no event",
                "14:13:20  demo-22  contact.user.updated       · 2 updates suppressed: only activity fields moved (ignore_fields), no event",
            ])
        // Counted apart: one workspace's new suppressions are not another's.
        telemetry.updatesSuppressed(topic: "contact.user.updated", count: 4, workspace: "demo-1")
        #expect(reporter.newLines().map { $0.hasPrefix("14:13:20  demo-1   ") && $0.contains("· 4 updates") } == [true])
        #expect(telemetry.snapshot.updatesSuppressed == ["contact.user.updated": 7])
    }

    @Test func theServiceWritesTheLinesAndStopsOnShutdown() async throws {
        let telemetry = DaemonTelemetry()
        telemetry.updatesSuppressed(topic: "contact.user.updated", count: 1)
        let written = Mutex<[String]>([])
        let clock = ManualWallClock()
        let reporter = SuppressedUpdatesReporter(
            telemetry: telemetry, line: ReadableEventLine(colour: true), interval: .seconds(2),
            clock: clock, write: { text in written.withLock { $0.append(text) } })
        let task = Task { try await reporter.run() }
        try await eventually { clock.sleeperCount == 1 }
        #expect(written.withLock { $0.isEmpty })  // nothing before the first interval has passed
        clock.advance(by: 2)
        try await eventually { written.withLock { $0.count == 1 } }
        task.cancel()
        try await task.value
        let line = try #require(written.withLock { $0.first })
        #expect(line.contains("\u{1B}[2m· 1 update suppressed"))
    }
}
