import Foundation
import Logging
import Testing

@testable import IntercomTriggers

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct JournalLogHandlerTests {
    @Test(arguments: [
        (Logger.Level.critical, "<3>"), (.error, "<3>"), (.warning, "<4>"), (.notice, "<5>"), (.info, "<6>"),
        (.debug, "<7>"), (.trace, "<7>"),
    ])
    func journalLinesStartWithTheSyslogPriority(_ level: Logger.Level, _ prefix: String) {
        let lines = LogLines()
        lines.logger(format: .journal).log(level: level, "hello")
        #expect(lines.all == ["\(prefix)intercom-triggerd: hello"])
    }

    @Test func plainLinesCarryATimestampTheLevelAndTheLabel() {
        let lines = LogLines()
        let logger = lines.logger(format: .plain)
        logger.warning("disk is slow")
        logger.notice("noted")
        #expect(
            lines.all == [
                "2025-11-21T09:20:00.125Z warning intercom-triggerd: disk is slow",
                "2025-11-21T09:20:00.125Z notice intercom-triggerd: noted",
            ])
    }

    @Test func theComponentIsTheTagAndMetadataFollowsTheMessageSorted() {
        let lines = LogLines()
        var logger = lines.logger(format: .journal)
        logger[metadataKey: "component"] = "lane crm"
        logger[metadataKey: "destination"] = "crm"
        logger.error(
            "Delivery failed", metadata: ["attempt": "2", "error": "HTTP 500: \"boom\" = bad", "empty": ""])
        #expect(
            lines.all == [
                #"<3>lane crm: Delivery failed attempt=2 destination=crm empty="" error="HTTP 500: \"boom\" = bad""#
            ])
    }

    @Test func recordMetadataOverridesTheLoggersAndProvidersAddTheirs() {
        let lines = LogLines()
        let logger = Logger(label: "x") { label in
            var handler = JournalLogHandler(
                label: label, format: .journal, level: .trace,
                metadataProvider: Logger.MetadataProvider { ["trace_id": "t1", "attempt": "0"] }, output: lines.append)
            handler[metadataKey: "attempt"] = "handler"
            return handler
        }
        logger.info("m", metadata: ["attempt": "3"])
        #expect(lines.all == ["<6>x: m attempt=3 trace_id=t1"])
    }

    @Test func anErrorAttachedToTheRecordIsRendered() {
        struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }
        let lines = LogLines()
        lines.logger(format: .journal).log(level: .error, "failed", error: Boom())
        #expect(lines.all == ["<3>intercom-triggerd: failed error=boom"])
    }

    @Test func aRecordIsAlwaysOneLine() {
        let lines = LogLines()
        lines.logger(format: .journal).error("first\nsecond\r\tthird\u{1}", metadata: ["body": "a\nb"])
        #expect(lines.all == [#"<3>intercom-triggerd: first\nsecond\r\tthird\u{1} body="a\nb""#])
        #expect(!lines.all[0].contains("\n"))
    }

    @Test func theLevelFiltersRecords() {
        let lines = LogLines()
        let logger = lines.logger(format: .journal, level: .info)
        logger.debug("chatter")
        logger.trace("more chatter")
        logger.info("start")
        #expect(lines.all == ["<6>intercom-triggerd: start"])
    }

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"), (1_763_716_800.5, "2025-11-21T09:20:00.500Z"),
        (951_782_400.25, "2000-02-29T00:00:00.250Z"), (4_102_444_799.75, "2099-12-31T23:59:59.750Z"),
    ])
    func timestampsAreUTCWithMilliseconds(_ seconds: Double, _ text: String) {
        #expect(JournalLogHandler.timestamp(Date(timeIntervalSince1970: seconds)) == text)
    }

    // MARK: - Journal detection

    @Test func theJournalIsConnectedOnlyWhenTheDescriptorMatchesDeviceAndInode() throws {
        try withTemporaryFile { journal, journalDescriptor in
            try withTemporaryFile { _, otherDescriptor in
                var status = stat()
                #expect(fstat(journalDescriptor, &status) == 0)
                let stream = "\(status.st_dev):\(status.st_ino)"
                #expect(JournalLogHandler.isJournalStream(stream, fileDescriptor: journalDescriptor))
                #expect(
                    JournalLogHandler.format(environment: ["JOURNAL_STREAM": stream], fileDescriptor: journalDescriptor)
                        == .journal)
                // Inherited variable, redirected stderr: plain.
                #expect(!JournalLogHandler.isJournalStream(stream, fileDescriptor: otherDescriptor))
                #expect(
                    JournalLogHandler.format(environment: ["JOURNAL_STREAM": stream], fileDescriptor: otherDescriptor)
                        == .plain)
                #expect(JournalLogHandler.format(environment: [:], fileDescriptor: journalDescriptor) == .plain)
                for malformed in [
                    "", "\(status.st_dev)", "\(status.st_dev):", ":\(status.st_ino)", "a:b", "\(stream):1",
                    "\(status.st_dev):\(status.st_ino + 1)", "\(status.st_dev + 1):\(status.st_ino)",
                ] {
                    #expect(
                        !JournalLogHandler.isJournalStream(malformed, fileDescriptor: journalDescriptor), "\(malformed)"
                    )
                }
                #expect(!JournalLogHandler.isJournalStream(stream, fileDescriptor: -1))
                _ = journal
            }
        }
    }

    @Test func standardErrorWritingPutsEachLineWithItsNewline() throws {
        try withTemporaryFile { path, descriptor in
            JournalLogHandler.writeLine("<6>poller: one", to: descriptor)
            JournalLogHandler.writeLine("<3>poller: two", to: descriptor)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text == "<6>poller: one\n<3>poller: two\n")
        }
    }

    /// Runs `body` with a fresh file open for writing, then closes and removes it.
    private func withTemporaryFile(_ body: (String, Int32) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)").path
        let descriptor = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        #expect(descriptor >= 0)
        defer {
            close(descriptor)
            unlink(path)
        }
        try body(path, descriptor)
    }
}
