import Foundation
import IntercomSimulator
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// The client against the simulator over real HTTP (CurlTransport on 127.0.0.1).
@Suite struct IntercomClientSimulatorTests {
    static let start = 1_763_716_803.0  // mid-window, so a reset is a few seconds away

    static func client(
        _ server: SimulatorServer, token: String? = nil, clock: any WallClock, perMinute: Int = 10_000,
        transport: any HTTPTransport = CurlTransport()
    ) -> IntercomClient {
        IntercomClient(
            configuration: IntercomConfiguration(
                accessToken: token ?? server.token, baseURL: server.baseURL, maxRequestsPerMinute: perMinute,
                requestTimeout: .seconds(10),
                retryPolicy: RetryPolicy(maxAttempts: 5, baseDelay: .seconds(1), maxDelay: .seconds(4))),
            transport: transport, clock: clock)
    }

    @Test func pagesThroughAThousandContactsEachOnce() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration(seedContacts: 1000)) { server in
            let client = Self.client(server, clock: InstantWallClock(simulator: server.clock))
            let query = SearchQuery.or([.filter("role", .equals, "user"), .filter("role", .equals, "lead")])
            var ids: [String] = []
            var pages = 0
            for try await page in client.searchContacts(query, sort: .ascending("updated_at"), perPage: 150) {
                pages += 1
                #expect(page.items.count <= 150)
                for contact in page.items {
                    ids.append(contact.id)
                    // The raw bytes are the item itself, decodable on their own.
                    #expect(try JSONSerialization.jsonObject(with: contact.raw) is [String: Any])
                }
            }
            #expect(ids.count == 1000)
            #expect(Set(ids).count == 1000)
            #expect(pages == 7)
            #expect(server.requestCount(method: "POST", pathTemplate: "/contacts/search", status: 200) == 7)
            await client.shutdown()
        }
    }

    @Test func searchesConversationsAcrossPages() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration(seedContacts: 20, seedConversations: 230)) {
            server in
            let client = Self.client(server, clock: InstantWallClock(simulator: server.clock))
            var conversations: [Conversation] = []
            for try await page in client.searchConversations(
                .filter("created_at", .greaterThan, 0), sort: .ascending("created_at"), perPage: 100)
            {
                conversations += page.items
            }
            #expect(conversations.count == 230)
            #expect(Set(conversations.map(\.id)).count == 230)
            let created = conversations.compactMap(\.createdAt)
            #expect(created == created.sorted())
            #expect(conversations.allSatisfy { $0.source?.author?.type != nil })
            await client.shutdown()
        }
    }

    @Test func endpointsRoundTrip() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration(seedContacts: 3, seedCompanies: 4)) { server in
            let client = Self.client(server, clock: InstantWallClock(simulator: server.clock))
            let me = try await client.me()
            #expect(me.app?.timezone == "America/Los_Angeles")
            #expect(me.app?.region == "US")
            #expect(try await !client.admins().isEmpty)

            let lead = try await client.createContact(Data(#"{"role":"lead","email":"zoë@example.com"}"#.utf8))
            #expect(lead.role == "lead")
            #expect(lead.email == "zoë@example.com")
            let fetched = try await client.getContact(id: lead.id)
            #expect(fetched.id == lead.id)
            let renamed = try await client.updateContact(id: lead.id, Data(#"{"name":"Zoë"}"#.utf8))
            #expect(renamed.name == "Zoë")

            let message = try await client.createConversation(
                Data(#"{"from":{"type":"lead","id":"\#(lead.id)"},"body":"Hello"}"#.utf8))
            let conversationID = try #require(message.conversationID)
            let conversation = try await client.getConversation(id: conversationID)
            #expect(conversation.source?.author?.id == lead.id)
            let replied = try await client.replyToConversation(
                id: conversationID,
                Data(#"{"message_type":"comment","type":"user","intercom_user_id":"\#(lead.id)","body":"More"}"#.utf8))
            #expect(replied.id == conversationID)
            var listed = 0
            for try await page in client.listConversations(perPage: 5) { listed += page.items.count }
            #expect(listed == 1)

            let company = try await client.upsertCompany(Data(#"{"company_id":"acme","name":"Acme"}"#.utf8))
            #expect(company.companyID == "acme")
            #expect(try await client.getCompany(id: company.id).name == "Acme")
            _ = try await client.listCompanies(page: 1, perPage: 2)
            var scrolled = 0
            for try await page in client.scrollCompanies() { scrolled += page.items.count }
            #expect(scrolled >= 4)

            let ticket = try await client.createTicket(
                Data(
                    #"{"ticket_type_id":"1","contacts":[{"id":"\#(lead.id)"}],"#
                        .appending(#""ticket_attributes":{"_default_title_":"Broken"}}"#).utf8))
            #expect(try await client.getTicket(id: ticket.id).id == ticket.id)
            let sent = try await client.createMessage(
                Data(
                    #"{"message_type":"inapp","body":"Hi","from":{"type":"admin","id":"\#(me.id)"},"#
                        .appending(#""to":{"type":"lead","id":"\#(lead.id)"}}"#).utf8))
            #expect(sent.messageType == "inapp")

            let deleted = try await client.deleteContact(id: lead.id)
            #expect(deleted.id == lead.id)
            await #expect {
                _ = try await client.getContact(id: lead.id)
            } throws: { error in
                guard case .api(404, _, _, _) = error as? IntercomError else { return false }
                return true
            }
            await client.shutdown()
        }
    }

    @Test func listsContactsWithGetPaging() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration(seedContacts: 320)) { server in
            let client = Self.client(server, clock: InstantWallClock(simulator: server.clock))
            var ids: Set<String> = []
            var pages = 0
            for try await page in client.listContacts(perPage: 150) {
                pages += 1
                ids.formUnion(page.items.map(\.id))
            }
            #expect(ids.count == 320)
            #expect(pages == 3)
            await client.shutdown()
        }
    }

    @Test func waitsOutA429UntilTheReset() async throws {
        let simClock = SimulatorClock(pinnedAt: Self.start)
        try await SimulatorServer.withRunning(SimulatorConfiguration(), clock: simClock) { server in
            let client = Self.client(server, clock: InstantWallClock(simulator: simClock))
            server.forceFaults([.status(429)])
            let me = try await client.me()
            #expect(me.app?.idCode != nil)
            #expect(server.requestCount(status: 429) == 1)
            #expect(server.requestCount(status: 200) == 1)
            // The retry went out only after the window ended (1_763_716_810), within the jitter bound.
            #expect(simClock.now() >= 1_763_716_810)
            #expect(simClock.now() <= 1_763_716_810 + 1.001)
            await client.shutdown()
        }
    }

    @Test func stopsAtRemainingZeroInsteadOfHitting429() async throws {
        let simClock = SimulatorClock(pinnedAt: Self.start)
        try await SimulatorServer.withRunning(SimulatorConfiguration(rateLimitPerWindow: 3), clock: simClock) {
            server in
            let client = Self.client(server, clock: InstantWallClock(simulator: simClock))
            for _ in 0..<7 { _ = try await client.me() }
            #expect(server.requestCount(status: 429) == 0)
            #expect(server.requestCount(status: 200) == 7)
            // 3 + 3 + 1 requests: two window ends passed.
            #expect(simClock.now() >= 1_763_716_820)
            await client.shutdown()
        }
    }

    /// The simulator dates its answers by its own clock: an hour ahead of the host's, the client reads
    /// Intercom's time from it and says once that the clocks differ.
    @Test func readsIntercomsClockFromTheDateHeader() async throws {
        let host = InstantWallClock(now: Date(timeIntervalSince1970: Self.start))
        try await SimulatorServer.withRunning(clock: SimulatorClock(pinnedAt: Self.start + 3_600)) { server in
            let (logger, logs) = CapturingLogHandler.logger()
            let client = IntercomClient(
                configuration: IntercomConfiguration(accessToken: server.token, baseURL: server.baseURL),
                clock: host, logger: logger)
            #expect(client.serverNow() == nil)
            _ = try await client.me()
            _ = try await client.admins()
            // The header has whole seconds.
            #expect(client.serverNow() == Date(timeIntervalSince1970: (Self.start + 3_600).rounded(.down)))
            #expect(logs.all.filter { $0.hasPrefix("warning the host clock and Intercom's differ") }.count == 1)
            await client.shutdown()
        }
    }

    @Test func retriesServerErrorsAndTruncatedBodies() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration(seedContacts: 5)) { server in
            let client = Self.client(server, clock: InstantWallClock(simulator: server.clock))
            server.forceFaults([.status(503), .truncate, .status(500), .truncate])
            var ids: [String] = []
            for try await page in client.listContacts(perPage: 150) { ids += page.items.map(\.id) }
            #expect(ids.count == 5)
            #expect(server.totalRequestCount == 5)
            #expect(server.pendingForcedFaults.isEmpty)
            await client.shutdown()
        }
    }

    @Test func persistentServerErrorsSurfaceAfterTheLastAttempt() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration()) { server in
            let client = Self.client(server, clock: InstantWallClock(simulator: server.clock))
            server.forceFaults(Array(repeating: .status(502), count: 5))
            await #expect {
                _ = try await client.me()
            } throws: { error in
                guard case .api(502, _, _, _) = error as? IntercomError else { return false }
                return true
            }
            #expect(server.totalRequestCount == 5)
            await client.shutdown()
        }
    }

    @Test func aBadTokenIsUnauthorized() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration()) { server in
            let client = Self.client(server, token: "wrong", clock: InstantWallClock(simulator: server.clock))
            await #expect(throws: IntercomError.unauthorized("Access Token Invalid")) { _ = try await client.me() }
            #expect(server.totalRequestCount == 1)
            await client.shutdown()
        }
    }

    @Test func shutdownMidFlightNeverHangs() async throws {
        var faults = FaultSettings()
        faults.latency = .milliseconds(20)
        let configuration = SimulatorConfiguration(rateLimitPerWindow: 1_000_000, faults: faults)
        try await SimulatorServer.withRunning(configuration) { server in
            let transport = CurlTransport()
            for round in 0..<20 {
                // 20 requests per 10 s window: most of the 300 wait in the rate limiter.
                let client = Self.client(server, clock: SystemWallClock(), perMinute: 120, transport: transport)
                let before = server.totalRequestCount
                // A round takes a second or two alone; the bound is against a hang on a loaded host.
                let outcome = try await withDeadline(.seconds(90)) {
                    try await withThrowingTaskGroup(of: Bool.self) { group in
                        for _ in 0..<300 {
                            group.addTask {
                                do {
                                    _ = try await client.me()
                                    return true
                                } catch IntercomError.shutDown {
                                    return false
                                }
                            }
                        }
                        while server.totalRequestCount < before + 5 { try await Task.sleep(for: .milliseconds(2)) }
                        await client.shutdown()
                        var succeeded = 0
                        var refused = 0
                        for try await ok in group { if ok { succeeded += 1 } else { refused += 1 } }
                        return (succeeded, refused)
                    }
                }
                #expect(outcome.0 + outcome.1 == 300, "round \(round)")
                #expect(outcome.0 >= 5 && outcome.0 <= 40, "round \(round): \(outcome.0) succeeded")
                #expect(outcome.1 >= 260, "round \(round)")
            }
        }
    }
}

/// Runs `body`, failing the test instead of hanging if it takes longer than `limit`.
func withDeadline<T: Sendable>(
    _ limit: Duration, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            Issue.record("timed out after \(limit)")
            throw CancellationError()
        }
        return value
    }
}
