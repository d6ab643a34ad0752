import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// Writes that are not safe to repeat are sent again only when they provably never reached Intercom.
@Suite struct IntercomClientIdempotencyTests {
    static let body = Data(#"{"email":"ada@example.com"}"#.utf8)

    /// Failures after which Intercom may have applied the request.
    static let uncertainFailures: [(String, FakeTransport.Outcome)] = [
        ("503", .error(503, code: "service_unavailable", message: "down")),
        ("502 without a body", .ok(status: 502, "")),
        ("timeout", .failure(.timedOut)),
        ("connection reset", .failure(.connection("connection reset by peer"))),
        ("truncated 2xx body", .ok(#"{"type":"contact","id":"c1","#)),
    ]

    @Test(arguments: uncertainFailures)
    func aCreateThatMayHaveArrivedIsSentOnceAndReportedUncertain(_ name: String, _ failure: FakeTransport.Outcome)
        async throws
    {
        let transport = FakeTransport([failure, .ok(IntercomClientTests.contactBody)])
        let clock = InstantWallClock()
        await #expect {
            _ = try await IntercomClientTests.client(transport, clock: clock).createContact(Self.body)
        } throws: { error in
            guard case .outcomeUnknown(let request, _) = error as? IntercomError else { return false }
            return request == "POST /contacts"
        }
        #expect(transport.requests.count == 1, "\(name)")
        #expect(clock.sleeps.isEmpty)
    }

    @Test func theUncertainErrorSaysWhatToCheck() async throws {
        let transport = FakeTransport([.error(503, code: "service_unavailable", message: "down")])
        do {
            _ = try await IntercomClientTests.client(transport).replyToConversation(id: "42", Data("{}".utf8))
            Issue.record("a 503 answered the reply, yet it succeeded")
        } catch {
            let text = String(describing: error)
            #expect(text.hasPrefix("POST /conversations/42/reply may or may not have been applied by Intercom"))
            #expect(text.contains("Intercom answered 503 service_unavailable"))
            #expect(text.contains("before sending it again"))
        }
    }

    @Test func aCreateThatCouldNotConnectIsRetried() async throws {
        let refused = FakeTransport.Outcome.failure(.notConnected("connection refused"))
        let transport = FakeTransport([refused, refused, .ok(#"{"type":"ticket","id":"t1"}"#)])
        let clock = InstantWallClock()
        let ticket = try await IntercomClientTests.client(transport, clock: clock).createTicket(Self.body)
        #expect(ticket.id == "t1")
        #expect(transport.requests.count == 3)
        #expect(clock.sleeps == [.seconds(1), .seconds(2)])
    }

    @Test func aCreateThatNeverConnectsEndsAsUnreachable() async throws {
        let transport = FakeTransport([.failure(.notConnected("connection refused"))])
        await #expect(throws: IntercomError.transport("connection refused")) {
            _ = try await IntercomClientTests.client(transport, attempts: 3).createMessage(Self.body)
        }
        #expect(transport.requests.count == 3)
    }

    @Test func aRateLimitedCreateWaitsAndIsSentAgain() async throws {
        let transport = FakeTransport([
            .error(429, code: "rate_limit_exceeded", message: "slow down"), .ok(IntercomClientTests.contactBody),
        ])
        _ = try await IntercomClientTests.client(transport).createContact(Self.body)
        #expect(transport.requests.count == 2)
    }

    /// Reads keep the usual retries, whatever their method.
    static let reads: [(String, @Sendable (IntercomClient) async throws -> Void)] = [
        ("GET", { _ = try await $0.getContact(id: "c1") }),
        ("contact search", { _ = try await $0.send(.post, path: "/contacts/search", body: Data("{}".utf8)) }),
        ("ticket search", { _ = try await $0.send(.post, path: "/tickets/search?x=1", body: Data("{}".utf8)) }),
        ("companies list", { _ = try await $0.listCompanies() }),
    ]

    @Test(arguments: reads)
    func readsKeepRetrying(_ name: String, _ read: @Sendable (IntercomClient) async throws -> Void) async throws {
        // One body every read can decode: a contact that is also an empty list.
        let answer = #"{"type":"contact","id":"c1","data":[]}"#
        let transport = FakeTransport([
            .error(503, code: "service_unavailable", message: "down"), .failure(.timedOut),
            .failure(.connection("reset")), .ok(answer),
        ])
        try await read(IntercomClientTests.client(transport))
        #expect(transport.requests.count == 4, "\(name)")
    }

    @Test(arguments: [
        (HTTPMethod.get, "/contacts", true), (.put, "/contacts/1", true), (.delete, "/contacts/1", true),
        (.post, "/contacts/search", true), (.post, "conversations/search/", true), (.post, "/tickets/search?a=b", true),
        (.post, "/companies/list?page=2", true), (.post, "/contacts", false), (.post, "/conversations", false),
        (.post, "/conversations/1/reply", false), (.post, "/messages", false), (.post, "/tickets", false),
        (.post, "/companies", false), (.post, "/contacts/1/companies", false), (.post, "/research", false),
        (.patch, "/contacts/1", false),
    ])
    func idempotencyIsDecidedByMethodAndPath(_ method: HTTPMethod, _ path: String, _ idempotent: Bool) {
        #expect(IntercomClient.isIdempotent(method, path: path) == idempotent)
    }
}
