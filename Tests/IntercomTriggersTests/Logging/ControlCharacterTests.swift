import Foundation
import Testing

@testable import IntercomTriggers

/// Text chosen by a receiver or by Intercom reaches the operator's terminal and the log only with its control
/// characters escaped: when the error is built from a response, and again wherever it is printed (stores written by
/// older versions hold it raw).
@Suite struct ControlCharacterTests {
    /// What a hostile receiver answers: a screen clear, a forged log line, a bell, an 8-bit CSI and a bidi override.
    /// (No NUL: SQLite ends text there, so no store holds one; the table below covers it.)
    static let hostile = "ok\u{1B}[2J\r\n<3>lane crm: forged\u{7}\u{9B}31m\u{202E}txt.exe"

    /// Whether `text` still holds a character that acts on a terminal.
    static func isRaw(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}" }
    }

    @Test(
        arguments: [
            ("plain text, ünïcödé, emoji 👩‍💻", "plain text, ünïcödé, emoji 👩‍💻"),
            ("\u{1B}[31mred", #"\u{1b}[31mred"#),
            ("a\nb\rc\td", #"a\nb\rc\td"#),
            ("nul\u{0}del\u{7F}", #"nul\u{0}del\u{7f}"#),
            ("c1 \u{9B}31m \u{85}", #"c1 \u{9b}31m \u{85}"#),
            (
                "bidi \u{202E}abc\u{202C} \u{2066}x\u{2069} \u{200F}",
                #"bidi \u{202e}abc\u{202c} \u{2066}x\u{2069} \u{200f}"#
            ),
            ("line\u{2028}para\u{2029}", #"line\u{2028}para\u{2029}"#),
        ] as [(String, String)])
    func escapesWhatActsOnATerminal(input: String, expected: String) {
        #expect(input.escapingControlCharacters == expected)
        #expect(!Self.isRaw(input.escapingControlCharacters))
        // Escaping is idempotent: printing what the store already holds escaped changes nothing.
        #expect(input.escapingControlCharacters.escapingControlCharacters == expected)
    }

    @Test func aReceiversBodyIsEscapedBeforeItIsStored() {
        let response = HTTPResponse(
            status: 500, headers: [("Location", Self.hostile)], body: Data(Self.hostile.utf8))
        guard case .failed(status: 500, let error, retryAfter: nil) = WebhookSink.outcome(of: response, now: 0) else {
            Issue.record("a 500 is a failure")
            return
        }
        #expect(!Self.isRaw(error))
        #expect(error.contains(#"\u{1b}[2J"#) && error.contains(#"\u{202e}"#))
        let redirect = WebhookSink.outcome(
            of: HTTPResponse(status: 302, headers: [("Location", Self.hostile)], body: Data()), now: 0)
        guard case .failed(status: 302, let redirectError, retryAfter: nil) = redirect else {
            Issue.record("a redirect is a failure")
            return
        }
        #expect(!Self.isRaw(redirectError))
    }

    @Test func deadLettersFromAnOlderStoreArePrintedEscaped() async throws {
        try await DeliveryFixture.with { fixture in
            let event = try #require(try await fixture.seed(1, to: ["hook"]).first)
            try await fixture.store.markFailed(
                destination: "hook", seq: event.seq, attempt: 8, status: 500, error: Self.hostile,
                nextAttemptAt: nil, at: fixture.clock.seconds)
            let letters = try await fixture.store.deadLetters(destination: "hook")
            #expect(letters.first?.lastError == Self.hostile)  // stored raw, as older versions did

            let text = DeliveryAdmin.text(letters)
            #expect(!Self.isRaw(text.replacingOccurrences(of: "\n", with: " ")))
            #expect(text.split(separator: "\n").count == 2)  // the header and one row: no forged line
            #expect(text.contains(#"\u{1b}[2J\r\n<3>lane crm: forged\u{7}\u{9b}31m\u{202e}txt.exe"#))

            let json = try #require(
                try JSONSerialization.jsonObject(with: DeliveryAdmin.json(letters)) as? [[String: Any]])
            let lastError = try #require(json.first?["last_error"] as? String)
            #expect(!Self.isRaw(lastError))
        }
    }

    @Test func statusPrintsAnOlderStoresReasonsEscaped() async throws {
        try await DeliveryFixture.with { fixture in
            try await fixture.seed(1, to: ["hook"])
            try await fixture.store.setDestinationDisabled("hook", reason: Self.hostile, at: fixture.clock.seconds)
            let report = try await StatusReport.collect(
                store: fixture.store, topics: [], destinations: ["hook"], now: fixture.clock.seconds)
            #expect(report.destinations.first?.disabledReason == Self.hostile)

            let text = report.text()
            #expect(!Self.isRaw(text.replacingOccurrences(of: "\n", with: " ")))
            #expect(!text.contains("\n<3>"))
            #expect(text.contains(#"DISABLED (ok\u{1b}[2J\r\n<3>lane crm: forged"#))

            let decoded = try JSONDecoder.snakeCase.decode(StatusReport.self, from: report.json())
            #expect(!Self.isRaw(try #require(decoded.destinations.first?.disabledReason)))
        }
    }

    @Test func logLinesEscapeC1AndBidiControlsToo() throws {
        let lines = LogLines()
        lines.logger(format: .journal).error("delivery failed", metadata: ["error": "\(Self.hostile)"])
        #expect(lines.all.count == 1)
        let line = try #require(lines.all.first)
        #expect(!Self.isRaw(line))
        #expect(line.hasSuffix(#"\u{9b}31m\u{202e}txt.exe""#))
    }
}

extension JSONDecoder {
    /// A decoder for the snake_case JSON of `status --json`.
    fileprivate static var snakeCase: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
