import Foundation
import IntercomTriggersTesting
import Logging
import Testing

@testable import IntercomTriggers

@Suite struct IntercomClientTests {
    static let token = "dG9rOjEyMzQ1Njc4OTA="
    static let contactBody = #"{"type":"contact","id":"c1","role":"lead","created_at":1,"updated_at":2}"#

    static func client(
        _ transport: FakeTransport, clock: InstantWallClock = InstantWallClock(), attempts: Int = 4,
        jitter: RetryPolicy.Jitter = .none, random: @escaping @Sendable () -> Double = { 0.5 },
        logger: Logger = Logger(label: "test")
    ) -> IntercomClient {
        let configuration = IntercomConfiguration(
            accessToken: token, baseURL: URL(string: "http://127.0.0.1:9/prefix/")!,
            retryPolicy: RetryPolicy(
                maxAttempts: attempts, baseDelay: .seconds(1), maxDelay: .seconds(8), jitter: jitter),
            rateLimitJitter: .seconds(2))
        return IntercomClient(
            configuration: configuration, transport: transport, clock: clock, logger: logger, random: random)
    }

    @Test func sendsTheRequiredHeaders() async throws {
        let transport = FakeTransport(body: Self.contactBody)
        let client = Self.client(transport)
        _ = try await client.getContact(id: "a b/c")
        _ = try await client.updateContact(id: "c1", Data(#"{"name":"x"}"#.utf8))
        let requests = transport.requests
        #expect(requests.count == 2)
        #expect(requests[0].url.absoluteString == "http://127.0.0.1:9/prefix/contacts/a%20b%2Fc")
        #expect(requests[0].method == .get)
        #expect(requests[0].body == nil)
        #expect(requests[0].header("Content-Type") == nil)
        for request in requests {
            #expect(request.header("Authorization") == "Bearer \(Self.token)")
            #expect(request.header("Intercom-Version") == "2.16")
            #expect(request.header("Accept") == "application/json")
            #expect(request.header("User-Agent") == "intercom-triggerd/\(IntercomTriggers.version)")
            #expect(request.timeout == .seconds(30))
        }
        #expect(requests[1].method == .put)
        #expect(requests[1].header("Content-Type") == "application/json")
        #expect(requests[1].body == Data(#"{"name":"x"}"#.utf8))
    }

    @Test func listQueryEncodesCursorsSafely() async throws {
        let transport = FakeTransport([
            .ok(#"{"type":"list","data":[],"pages":{"next":{"starting_after":"a+b/c="}}}"#),
            .ok(#"{"type":"list","data":[]}"#),
        ])
        var pages = 0
        for try await _ in Self.client(transport).listContacts(perPage: 20) { pages += 1 }
        #expect(pages == 2)
        #expect(transport.requests.map(\.url.query) == ["per_page=20", "per_page=20&starting_after=a%2Bb/c%3D"])
    }

    @Test func searchFollowsCursorsUntilNoNext() async throws {
        func page(_ ids: [String], next: String?) -> FakeTransport.Outcome {
            let items = ids.map { #"{"type":"contact","id":"\#($0)"}"# }.joined(separator: ",")
            let nextJSON = next.map { #""next":{"page":2,"starting_after":"\#($0)"},"# } ?? ""
            return .ok(#"{"type":"list","data":[\#(items)],"pages":{"type":"pages",\#(nextJSON)"per_page":"2"}}"#)
        }
        let transport = FakeTransport([
            page(["a", "b"], next: "k1"), page(["c", "d"], next: "k2"), page(["e"], next: nil),
        ])
        let request = SearchRequest(query: .filter("role", .equals, "user"), sort: .ascending("updated_at"), perPage: 2)
        var ids: [String] = []
        for try await page in Self.client(transport).searchContacts(request) { ids += page.items.map(\.id) }
        #expect(ids == ["a", "b", "c", "d", "e"])
        let bodies = transport.requests.map { String(decoding: $0.body ?? Data(), as: UTF8.self) }
        #expect(bodies.count == 3)
        #expect(!bodies[0].contains("starting_after"))
        #expect(bodies[1].contains(#""pagination":{"per_page":2,"starting_after":"k1"}"#))
        #expect(bodies[2].contains(#""starting_after":"k2""#))
        #expect(transport.requests.allSatisfy { $0.url.path == "/prefix/contacts/search" && $0.method == .post })
    }

    @Test func aRepeatedCursorEndsPagination() async throws {
        let transport = FakeTransport(body: #"{"type":"list","data":[],"pages":{"next":{"starting_after":"same"}}}"#)
        await #expect(throws: IntercomError.invalidResponse("the next-page cursor repeats the current one")) {
            for try await _ in Self.client(transport).listContacts() {}
        }
        #expect(transport.requests.count == 2)
    }

    @Test func theCompaniesScrollFollowsOneScrollParamToAnEmptyPage() async throws {
        func page(_ ids: [String], param: String?) -> FakeTransport.Outcome {
            let items = ids.map { #"{"type":"company","id":"\#($0)"}"# }.joined(separator: ",")
            let paramJSON = param.map { #","scroll_param":"\#($0)""# } ?? ""
            return .ok(#"{"type":"list","data":[\#(items)]\#(paramJSON)}"#)
        }
        let transport = FakeTransport([
            page(["a", "b"], param: "s1"), page(["c", "d"], param: "s1"), page(["e"], param: "s1"),
            page([], param: "s1"),
        ])
        var ids: [String] = []
        for try await page in Self.client(transport).scrollCompanies() { ids += page.items.map(\.id) }
        #expect(ids == ["a", "b", "c", "d", "e"])
        #expect(
            transport.requests.map { $0.url.query ?? "" } == [
                "", "scroll_param=s1", "scroll_param=s1", "scroll_param=s1",
            ])

        let broken = FakeTransport([page(["a"], param: nil)])
        await #expect(throws: IntercomError.invalidResponse("a companies scroll page without scroll_param")) {
            for try await _ in Self.client(broken).scrollCompanies() {}
        }
    }

    @Test func invalidSearchIsRefusedBeforeSending() async throws {
        let transport = FakeTransport(body: "{}")
        let request = SearchRequest(query: .filter("role", .equals, "user"), perPage: 151)
        await #expect(throws: IntercomError.self) {
            for try await _ in Self.client(transport).searchContacts(request) {}
        }
        #expect(transport.requests.isEmpty)
    }

    static let transientFailures: [(String, FakeTransport.Outcome)] = [
        ("500", .error(500, code: "server_error", message: "boom")),
        ("503", .ok(status: 503, "<html>unavailable</html>")),
        ("truncated JSON", .ok(#"{"type":"contact","id":"c1","role":"#)),
        ("invalid JSON", .ok("<html>oops</html>")),
        ("timeout", .failure(.timedOut)),
        ("connection refused", .failure(.connection("refused"))),
    ]

    @Test(arguments: transientFailures)
    func transientFailuresAreRetriedWithBackoff(_ name: String, _ failure: FakeTransport.Outcome) async throws {
        let transport = FakeTransport([failure, failure, .ok(Self.contactBody)])
        let clock = InstantWallClock()
        let contact = try await Self.client(transport, clock: clock).getContact(id: "c1")
        #expect(contact.id == "c1")
        #expect(transport.requests.count == 3)
        #expect(clock.sleeps == [.seconds(1), .seconds(2)], "\(name)")
    }

    @Test func backoffUsesJitterFromTheRandomSource() async throws {
        let failure = FakeTransport.Outcome.error(502, code: "server_error", message: "bad gateway")
        let transport = FakeTransport([failure, failure, failure, .ok(Self.contactBody)])
        let clock = InstantWallClock()
        let random = SeededRandom(seed: 7)
        let expected = SeededRandom(seed: 7)
        let policy = RetryPolicy(maxAttempts: 4, baseDelay: .seconds(1), maxDelay: .seconds(8), jitter: .full)
        _ = try await Self.client(transport, clock: clock, jitter: .full, random: random.source).getContact(id: "c1")
        #expect(clock.sleeps == (1...3).map { policy.delay(beforeRetry: $0, unit: expected.next()) })
    }

    @Test func exhaustedRetriesThrowTheLastError() async throws {
        let transport = FakeTransport([.error(503, code: "service_unavailable", message: "down")])
        let clock = InstantWallClock()
        await #expect(
            throws: IntercomError.api(status: 503, code: "service_unavailable", message: "down", requestID: "req-1")
        ) {
            _ = try await Self.client(transport, clock: clock, attempts: 3).getContact(id: "c1")
        }
        #expect(transport.requests.count == 3)
        #expect(clock.sleeps == [.seconds(1), .seconds(2)])
    }

    @Test(arguments: [(400, "parameter_invalid"), (404, "not_found"), (409, "conflict"), (410, "contact_merged")])
    func clientErrorsAreTypedAndNotRetried(_ status: Int, _ code: String) async throws {
        let transport = FakeTransport([.error(status, code: code, message: "nope")])
        await #expect(throws: IntercomError.api(status: status, code: code, message: "nope", requestID: "req-1")) {
            _ = try await Self.client(transport).getContact(id: "c1")
        }
        #expect(transport.requests.count == 1)
    }

    @Test func unauthorizedIsItsOwnError() async throws {
        let transport = FakeTransport([.error(401, code: "unauthorized", message: "Access Token Invalid")])
        await #expect(throws: IntercomError.unauthorized("Access Token Invalid")) {
            _ = try await Self.client(transport).me()
        }
        #expect(transport.requests.count == 1)
    }

    @Test func validJSONOfTheWrongShapeIsADecodingError() async throws {
        let transport = FakeTransport(body: #"{"type":"contact"}"#)
        await #expect {
            _ = try await Self.client(transport).getContact(id: "c1")
        } throws: { error in
            guard case .decoding = error as? IntercomError else { return false }
            return true
        }
        #expect(transport.requests.count == 1)
    }

    @Test func rateLimitedRequestWaitsUntilTheResetPlusJitter() async throws {
        let clock = InstantWallClock()
        let reset = Int(clock.now().timeIntervalSince1970) + 7
        let transport = FakeTransport([
            .error(
                429, code: "rate_limit_exceeded", message: "Exceeded rate limit of 167 in 10_seconds",
                headers: [
                    ("X-RateLimit-Limit", "167"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "\(reset)"),
                ]),
            .ok(Self.contactBody),
        ])
        let contact = try await Self.client(transport, clock: clock, random: { 0.25 }).getContact(id: "c1")
        #expect(contact.id == "c1")
        #expect(transport.requests.count == 2)
        // Exactly until the reset, plus 0.25 × the 2 s jitter bound.
        #expect(clock.totalSlept == 7.5)
    }

    @Test(arguments: [0.0, 0.3, 0.999])
    func rateLimitJitterStaysWithinItsBound(_ unit: Double) async throws {
        let clock = InstantWallClock()
        let reset = Int(clock.now().timeIntervalSince1970) + 3
        let transport = FakeTransport([
            .error(
                429, code: "rate_limit_exceeded", message: "slow down", headers: [("X-RateLimit-Reset", "\(reset)")]),
            .ok(Self.contactBody),
        ])
        _ = try await Self.client(transport, clock: clock, random: { unit }).getContact(id: "c1")
        #expect(clock.totalSlept >= 3 && clock.totalSlept <= 5)
        #expect(abs(clock.totalSlept - (3 + 2 * unit)) < 0.002)
    }

    /// A hostile reset header (not an integer, or far ahead) neither crashes the client nor freezes it: an
    /// unreadable one counts as absent (one window), a far one is held at two windows.
    @Test(arguments: [("inf", 10.0), ("NaN", 10.0), ("1e99", 10.0), ("9223372036854775807", 20.0)])
    func aHostileResetHeaderIsBounded(_ header: String, _ wait: Double) async throws {
        let clock = InstantWallClock()
        let transport = FakeTransport([
            .error(
                429, code: "rate_limit_exceeded", message: "slow down",
                headers: [("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", header)]),
            .ok(Self.contactBody),
        ])
        _ = try await Self.client(transport, clock: clock, random: { 0 }).getContact(id: "c1")
        #expect(transport.requests.count == 2)
        #expect(clock.totalSlept == wait)
    }

    @Test func persistentRateLimitingGivesUp() async throws {
        let clock = InstantWallClock()
        let transport = FakeTransport([.error(429, code: "rate_limit_exceeded", message: "slow down")])
        var configuration = IntercomConfiguration(accessToken: Self.token, baseURL: URL(string: "http://127.0.0.1:9")!)
        configuration.maxRateLimitWaits = 3
        let client = IntercomClient(configuration: configuration, transport: transport, clock: clock)
        await #expect(throws: IntercomError.rateLimited(resetAt: nil)) { _ = try await client.me() }
        #expect(transport.requests.count == 4)
        // Without a reset header each wait is one window (plus up to 1 s of jitter).
        #expect(clock.sleeps.count == 3)
        #expect(clock.sleeps.allSatisfy { $0 >= .seconds(10) && $0 <= .seconds(11) })
    }

    @Test func remainingZeroBlocksUntilTheReset() async throws {
        let clock = InstantWallClock()
        let reset = Int(clock.now().timeIntervalSince1970) + 4
        let headers = [("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "\(reset)")]
        let transport = FakeTransport([.ok(Self.contactBody, headers: headers), .ok(Self.contactBody)])
        let client = Self.client(transport, clock: clock)
        _ = try await client.getContact(id: "c1")
        #expect(clock.sleeps.isEmpty)
        _ = try await client.getContact(id: "c1")
        #expect(clock.totalSlept == 4)
        #expect(transport.requests.count == 2)
    }

    @Test func rawSendForwardsPathQueryAndBody() async throws {
        let transport = FakeTransport(body: #"{"type":"list","data":[]}"#)
        let response = try await Self.client(transport).send(
            .post, path: "/contacts/search?x=1", query: [URLQueryItem(name: "y", value: "a b")], body: Data("{}".utf8))
        #expect(response.status == 200)
        #expect(transport.requests.first?.url.absoluteString == "http://127.0.0.1:9/prefix/contacts/search?x=1&y=a%20b")
        #expect(transport.requests.first?.header("Content-Type") == "application/json")
    }

    @Test func rawSendRetriesTruncatedBodies() async throws {
        let transport = FakeTransport([.ok(#"{"type":"li"#), .ok(#"{"type":"list"}"#)])
        let response = try await Self.client(transport).send(.get, path: "/contacts")
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"type":"list"}"#)
        #expect(transport.requests.count == 2)
    }
}
