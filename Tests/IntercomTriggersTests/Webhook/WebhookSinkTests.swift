import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

@Suite struct WebhookSinkTests {
    /// What an outcome should look like, without its error text.
    enum Expected: Sendable, Equatable {
        case delivered
        case failed(status: Int?, retryAfter: Duration?)
        case throttled(status: Int, retryAfter: Duration?)
        case disable
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var reply: WebhookReceiver.Reply
        var expected: Expected
        var testDescription: String
    }

    static let now = Int(Date().timeIntervalSince1970)

    static let cases: [Case] = [
        Case(reply: .status(200), expected: .delivered, testDescription: "200"),
        Case(reply: .status(204), expected: .delivered, testDescription: "204"),
        Case(
            reply: .status(301, headers: ["Location": "/elsewhere"]), expected: .failed(status: 301, retryAfter: nil),
            testDescription: "301"),
        Case(
            reply: .status(302, headers: ["Location": "/elsewhere"]), expected: .failed(status: 302, retryAfter: nil),
            testDescription: "302"),
        Case(reply: .status(400, body: "bad"), expected: .failed(status: 400, retryAfter: nil), testDescription: "400"),
        Case(reply: .status(410), expected: .disable, testDescription: "410"),
        Case(
            reply: .status(429, headers: ["Retry-After": "7"]),
            expected: .throttled(status: 429, retryAfter: .seconds(7)),
            testDescription: "429 with Retry-After seconds"),
        Case(
            reply: .status(
                429,
                headers: ["Retry-After": httpDate(now + 120)]),
            expected: .throttled(status: 429, retryAfter: .seconds(120)), testDescription: "429 with Retry-After date"),
        Case(reply: .status(429), expected: .throttled(status: 429, retryAfter: nil), testDescription: "429 without"),
        Case(reply: .status(500), expected: .failed(status: 500, retryAfter: nil), testDescription: "500"),
        Case(reply: .status(502), expected: .throttled(status: 502, retryAfter: nil), testDescription: "502"),
        Case(
            reply: .status(503, headers: ["Retry-After": "30"]),
            expected: .throttled(status: 503, retryAfter: .seconds(30)),
            testDescription: "503"),
        Case(reply: .status(504), expected: .throttled(status: 504, retryAfter: nil), testDescription: "504"),
        Case(reply: .hang, expected: .failed(status: nil, retryAfter: nil), testDescription: "timeout"),
    ]

    static func httpDate(_ time: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(time)))
    }

    static func entry(_ seq: Int64 = 1, attempts: Int = 0) -> OutboxEntry {
        OutboxEntry(
            destination: "hook",
            event: StoredEvent(
                seq: seq, id: "evt-\(seq)", topic: "contact.lead.created", itemID: "c\(seq)", version: 1,
                detectedAt: now, item: Data(#"{"type":"contact","id":"c\#(seq)"}"#.utf8)),
            attempts: attempts, nextAttemptAt: now)
    }

    static func sink(_ url: URL, timeout: Duration = .seconds(15)) -> WebhookSink {
        WebhookSink(
            url: url, signer: WebhookSigner(secret: Secret(WebhookReceiver.secret, source: .inline(key: "secret"))),
            timeout: timeout, transport: CurlTransport(), appID: { "app1" })
    }

    static func shape(_ outcome: DeliveryOutcome) -> Expected? {
        switch outcome {
        case .delivered: .delivered
        case .failed(let status, _, let retryAfter): .failed(status: status, retryAfter: retryAfter)
        case .throttled(let status?, _, let retryAfter): .throttled(status: status, retryAfter: retryAfter)
        case .disable: .disable
        case .throttled(nil, _, _), .stopLane: nil
        }
    }

    @Test(arguments: cases)
    func mapsEachAnswerToAnOutcome(_ testCase: Case) async throws {
        let reply = testCase.reply
        let respond: WebhookReceiver.Respond = { request, _ in request.path == "/hook" ? reply : .status(200) }
        let outcome = try await WebhookReceiver.withRunning(respond: respond) { receiver in
            // Only the hanging receiver needs a short timeout; the others get room for a loaded machine.
            let timeout: Duration = testCase.testDescription == "timeout" ? .seconds(1) : .seconds(60)
            let outcome = await Self.sink(receiver.url, timeout: timeout).deliver(
                Self.entry(), attemptAt: Self.now)
            // One request only: a redirect is never followed. (A loaded machine may time the hanging one out
            // before the receiver has recorded it.)
            let paths = receiver.requests.map(\.path)
            #expect(paths == ["/hook"] || (testCase.testDescription == "timeout" && paths.isEmpty))
            #expect(receiver.problems.isEmpty)
            return outcome
        }
        let shape = Self.shape(outcome)
        if testCase.expected == .throttled(status: 429, retryAfter: .seconds(120)),
            case .throttled(status: 429, retryAfter: let retryAfter) = shape
        {
            // An HTTP date has whole seconds, and a second may tick between formatting and parsing.
            #expect(retryAfter.map { (.seconds(118)...(.seconds(120))).contains($0) } == true)
        } else {
            #expect(shape == testCase.expected, "\(outcome)")
        }
    }

    @Test func aRefusedConnectionFails() async throws {
        // A bound socket that never listens: nothing else can take the port meanwhile.
        let refusing = try RefusingPort()
        let outcome = await Self.sink(refusing.url()).deliver(Self.entry(), attemptAt: Self.now)
        withExtendedLifetime(refusing) {}
        guard case .failed(status: nil, let error, retryAfter: nil) = outcome else {
            Issue.record("expected a connection failure, got \(outcome)")
            return
        }
        #expect(error.hasPrefix("connection failed"))
    }

    @Test func sendsTheSignedEnvelopeWithAFreshTimestampPerAttempt() async throws {
        try await WebhookReceiver.withRunning { receiver in
            let sink = Self.sink(receiver.url)
            #expect(await sink.deliver(Self.entry(), attemptAt: Self.now) == .delivered)
            #expect(await sink.deliver(Self.entry(attempts: 1), attemptAt: Self.now + 60) == .delivered)
            let requests = receiver.requests
            #expect(receiver.problems.isEmpty)
            #expect(requests.map { $0.header("webhook-timestamp") } == ["\(Self.now)", "\(Self.now + 60)"])
            #expect(requests.map { $0.header("webhook-id") } == ["evt-1", "evt-1"])
            #expect(requests[0].header("webhook-signature") != requests[1].header("webhook-signature"))
            let envelope = EventEnvelope(entry: Self.entry(), appID: "app1", attemptAt: Self.now)
            #expect(requests[0].body == envelope.body)
        }
    }

    @Test func errorsKeepOnlyAShortPrefixOfTheBody() {
        let body = Data((String(repeating: "x", count: 10_000) + "\nsecret-tail").utf8)
        let outcome = WebhookSink.outcome(of: HTTPResponse(status: 500, body: body), now: 0)
        guard case .failed(status: 500, let error, retryAfter: nil) = outcome else {
            Issue.record("unexpected \(outcome)")
            return
        }
        #expect(error.count < 200)
        #expect(!error.contains("secret-tail"))
    }

    @Test(
        arguments: [
            ("120", 120), ("0", 0), ("Sun, 06 Nov 1994 08:49:37 GMT", 77), ("Sunday, 06-Nov-94 08:49:37 GMT", 77),
            ("Sun Nov  6 08:49:37 1994", 77), ("soon", nil),
            // Hostile values are bounded to an hour, never a crash or a lane paused for ever.
            ("9223372036854775807", 3_600), ("99999999999999999999", 3_600), ("3601", 3_600), ("-1", nil),
            ("Sun, 06 Nov 2094 08:49:37 GMT", 3_600), ("Sun, 06 Nov 1994 08:00:00 GMT", 0), ("", nil),
        ] as [(String, Int?)])
    func readsRetryAfter(value: String, seconds: Int?) {
        #expect(RetryAfter.delay(value, now: 784_111_700) == seconds.map { .seconds($0) })
    }
}
