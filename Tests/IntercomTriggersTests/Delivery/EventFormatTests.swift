import Foundation
import Testing

@testable import IntercomTriggers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `format` end to end through ``StdoutSink``: the lines written to a pipe in each format.
@Suite struct EventFormatTests {
    init() {
        ProcessSignals.ignoreSIGPIPE()
    }

    static let entries: [OutboxEntry] = [
        StoredEvent(
            seq: 1, id: "evt_a", topic: "contact.lead.created", itemID: "c1", version: 1_000, detectedAt: 1_100,
            item: Data("{\n \"type\":\"contact\",\"id\":\"c1\"}".utf8)),
        StoredEvent(
            seq: 2, id: "evt_b", topic: "contact.user.updated", itemID: "c2", version: 2_000, detectedAt: 2_100,
            item: Data(#"{"type":"contact","id":"c2"}"#.utf8),
            changes: Data(#"{"name":{"previous":"A","current":"B"}}"#.utf8)),
        StoredEvent(
            seq: 3, id: "evt_c", topic: "contact.user.updated", itemID: "c3", version: 3_000, detectedAt: 3_100,
            item: Data(#"{"type":"contact","id":"c3"}"#.utf8)),
    ].map { OutboxEntry(destination: "console", event: $0, attempts: 0, nextAttemptAt: 0) }

    /// What the sink writes for ``entries`` in `format`, split into lines (the last `\n` checked and dropped).
    static func lines(_ format: EventFormat) async throws -> [Data] {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let outcomes = await StdoutSink(appID: "ws_1", fileDescriptor: fds[1], format: format)
            .deliver(entries, attemptAt: 5_000)
        close(fds[1])
        #expect(outcomes == Array(repeating: .delivered, count: entries.count))
        let output = FileHandle(fileDescriptor: fds[0], closeOnDealloc: false).readDataToEndOfFile()
        #expect(output.last == 0x0A)
        return output.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().map { Data($0) }
    }

    static func object(_ line: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any])
    }

    @Test func intercomIsTheDefaultAndWritesOneEnvelopePerLine() async throws {
        #expect(StdoutSink(appID: "ws").format == .intercom)
        let lines = try await Self.lines(.intercom)
        #expect(lines.count == 3)
        for (line, entry) in zip(lines, Self.entries) {
            #expect(
                line == StdoutSink.line(EventEnvelope(entry: entry, appID: "ws_1", attemptAt: 5_000).body).dropLast())
            let object = try Self.object(line)
            #expect(object["type"] as? String == "notification_event")
            #expect(object["id"] as? String == entry.event.id)
            #expect(object["topic"] as? String == entry.event.topic)
        }
    }

    @Test func cloudeventsWritesOneCloudEventPerLine() async throws {
        let lines = try await Self.lines(.cloudevents)
        #expect(lines.count == 3)
        for (line, entry) in zip(lines, Self.entries) {
            // The raw item's line break became a space; otherwise the bytes are the CloudEvent's.
            #expect(line == StdoutSink.line(CloudEvent(entry: entry, appID: "ws_1").body).dropLast())
            let object = try Self.object(line)
            #expect(object["specversion"] as? String == "1.0")
            #expect(object["id"] as? String == entry.event.id)
            #expect(object["type"] as? String == "com.intercom." + entry.event.topic)
            #expect(object["subject"] as? String == entry.event.itemID)
            #expect(object["source"] as? String == "https://app.intercom.com/a/apps/ws_1")
        }
        let data = try lines.map { try #require(try Self.object($0)["data"] as? [String: Any]) }
        #expect(data[0].keys.sorted() == ["item"])
        #expect(data[1].keys.sorted() == ["changes", "item"])
        #expect(data[2]["changes_unavailable"] as? String == "no_earlier_version")
    }

    @Test(arguments: [(EventFormat.intercom, "application/json"), (.cloudevents, "application/cloudevents+json")])
    func eachFormatHasItsContentType(format: EventFormat, contentType: String) {
        #expect(format.contentType == contentType)
        #expect(EventFormat(rawValue: format.rawValue) == format)
    }
}
