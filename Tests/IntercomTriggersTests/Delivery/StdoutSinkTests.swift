import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct StdoutSinkTests {
    init() {
        // As the daemon does at start: a closed pipe must be an EPIPE, not the end of the test process.
        ProcessSignals.ignoreSIGPIPE()
    }

    /// A pipe: (read end, write end).
    static func makePipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        return (fds[0], fds[1])
    }

    @Test func writesOneJSONLinePerEventInSeqOrder() async throws {
        try await DeliveryFixture.with { fixture in
            let events = try await fixture.seed(3)
            let entries = try await fixture.pending()
            let (readEnd, writeEnd) = try Self.makePipe()
            defer { close(readEnd) }

            let outcomes = await StdoutSink(appID: "ws_1", fileDescriptor: writeEnd)
                .deliver(entries, attemptAt: 2_000)
            close(writeEnd)
            #expect(outcomes == [.delivered, .delivered, .delivered])

            let output = FileHandle(fileDescriptor: readEnd, closeOnDealloc: false).readDataToEndOfFile()
            #expect(output.last == 0x0A)
            let lines = output.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
            #expect(lines.count == 3)
            for (line, event) in zip(lines, events) {
                #expect(
                    Data(line)
                        == EventEnvelope(event: event, appID: "ws_1", deliveryAttempts: 1, firstSentAt: 2_000).body)
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
                #expect(object["id"] as? String == event.id)
            }
        }
    }

    @Test func aReadableSinkWritesOneReadableLinePerEvent() async throws {
        let (readEnd, writeEnd) = try Self.makePipe()
        defer { close(readEnd) }
        var update = StoredEvent.sample
        update.topic = "contact.user.updated"
        update.item = Data(#"{"type":"contact","id":"c1","name":"Ada"}"#.utf8)
        update.changes = Data(#"{"custom_attributes.plan":{"previous":"free","current":"pro"}}"#.utf8)
        let entries = [StoredEvent.sample, update].map {
            OutboxEntry(destination: "console", event: $0, attempts: 0, nextAttemptAt: 0)
        }
        let readable = ReadableEventLine(timeZone: TimeZone(identifier: "UTC")!)
        let outcomes = await StdoutSink(appID: "ws", fileDescriptor: writeEnd, readable: readable)
            .deliver(entries, attemptAt: 1)
        close(writeEnd)
        #expect(outcomes == [.delivered, .delivered])
        let output = FileHandle(fileDescriptor: readEnd, closeOnDealloc: false).readDataToEndOfFile()
        let expected = entries.map { readable.render($0.event) + "\n" }.joined()
        #expect(String(decoding: output, as: UTF8.self) == expected)
        #expect(expected.hasSuffix("  plan: free → pro\n"))
    }

    @Test func aBatchLargerThanThePipeIsWrittenWholeThroughPartialWrites() async throws {
        // Non-blocking, so the writer sees partial writes and EAGAIN while the reader drains the pipe.
        let (readEnd, writeEnd) = try Self.makePipe()
        defer { close(readEnd) }
        #expect(fcntl(writeEnd, F_SETFL, fcntl(writeEnd, F_GETFL) | O_NONBLOCK) == 0)
        let padding = String(repeating: "x", count: 2_000)
        let entries = (0..<200).map { index in
            var event = StoredEvent.sample
            event.seq = Int64(index)
            event.id = "evt_\(index)"
            event.item = Data(#"{"type":"contact","pad":"\#(padding)"}"#.utf8)
            return OutboxEntry(destination: "console", event: event, attempts: 0, nextAttemptAt: 0)
        }
        let reader = DispatchQueue(label: "test.pipe-reader")
        async let output = withCheckedContinuation { (continuation: CheckedContinuation<Data, Never>) in
            reader.async {
                continuation.resume(
                    returning: FileHandle(fileDescriptor: readEnd, closeOnDealloc: false).readDataToEndOfFile())
            }
        }
        let outcomes = await StdoutSink(appID: "ws", fileDescriptor: writeEnd).deliver(entries, attemptAt: 1)
        close(writeEnd)
        #expect(outcomes == Array(repeating: .delivered, count: 200))
        let lines = await output.split(separator: 0x0A)
        #expect(lines.count == 200)
        let ids = try lines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])["id"] as? String
        }
        #expect(ids == entries.map(\.event.id))
    }

    @Test func lineBreaksInARawItemBecomeSpacesSoTheEventStaysOneLine() throws {
        let item = "{\n  \"id\": \"u1\",\r\n  \"note\": \"a\\nb\"\n}"
        var event = StoredEvent.sample
        event.item = Data(item.utf8)
        let line = StdoutSink.line(EventEnvelope(event: event, appID: "ws", deliveryAttempts: 1, firstSentAt: 1).body)
        #expect(line.filter { $0 == 0x0A }.count == 1)
        #expect(line.last == 0x0A)
        let object = try #require(try JSONSerialization.jsonObject(with: line.dropLast()) as? [String: Any])
        let parsed = try #require((object["data"] as? [String: Any])?["item"] as? [String: Any])
        #expect(parsed["note"] as? String == "a\nb")
    }

    @Test func aClosedPipeStopsTheLane() async throws {
        let (readEnd, writeEnd) = try Self.makePipe()
        close(readEnd)
        defer { close(writeEnd) }
        let entry = OutboxEntry(destination: "console", event: .sample, attempts: 0, nextAttemptAt: 0)
        let outcomes = await StdoutSink(appID: "ws", fileDescriptor: writeEnd).deliver([entry, entry], attemptAt: 1)
        #expect(outcomes.count == 2)
        for outcome in outcomes {
            guard case .stopLane(let reason) = outcome else {
                Issue.record("expected stopLane, got \(outcome)")
                continue
            }
            #expect(reason.contains("stdout is closed"))
        }
    }

    @Test func aClosedDescriptorStopsTheLane() async {
        let entry = OutboxEntry(destination: "console", event: .sample, attempts: 0, nextAttemptAt: 0)
        let outcomes = await StdoutSink(appID: "ws", fileDescriptor: -1).deliver([entry], attemptAt: 1)
        guard case .stopLane = outcomes.first else {
            Issue.record("expected stopLane, got \(outcomes)")
            return
        }
    }

    @Test func aClosedPipeMarksNothingDeliveredAndStopsOnlyItsLane() async throws {
        try await DeliveryFixture.with { fixture in
            try await fixture.seed(3, to: ["console", "crm"])
            let (readEnd, writeEnd) = try Self.makePipe()
            close(readEnd)
            defer { close(writeEnd) }
            let (logger, log) = CapturingLogHandler.logger()
            let console = fixture.lane(
                "console", sink: StdoutSink(appID: "ws", fileDescriptor: writeEnd), logger: logger)
            let other = FakeSink()
            let crm = fixture.lane("crm", sink: other)

            try await fixture.running([console, crm]) {
                try await eventually("the console lane stops") {
                    if case .stopped = console.status.state { return true }
                    return false
                }
                try await eventually("crm delivers everything") {
                    try await fixture.deliveredCount("crm", of: 3) == 3
                }
            }
            let pending = try await fixture.pending("console")
            #expect(pending.count == 3)
            #expect(pending.allSatisfy { $0.attempts == 0 && $0.firstSentAt == nil })
            #expect(console.status.lastError?.contains("stdout is closed") == true)
            #expect(console.status.delivered == 0)
            let errors = log.all.filter { $0.hasPrefix("error") }
            #expect(errors.count == 1)
            #expect(errors.first?.contains("Delivery lane stopped") == true)
            #expect(errors.first?.contains("destination=console") == true)
        }
    }
}
