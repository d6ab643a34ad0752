import Foundation
import IntercomSimulator
import Testing

@testable import IntercomTriggers

/// How `ActionRunner` treats retries and failures that are not the command's fault.
@Suite struct ActionRunnerTests {
    @Test(arguments: [ForcedFault.status(429), .status(500), .status(503), .truncate])
    func transientFailuresAreRetriedAsTheClientDoes(_ fault: ForcedFault) async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration(seedContacts: 3)) { server in
            server.forceFaults([fault, fault])
            let result = await ActionHarness(server: server).run { () throws(ActionUsageError) in
                ContactActions.list(try ListPaging(perPage: 10))
            }
            #expect(result.code == 0)
            #expect(result.errors.isEmpty)
            let list = try result.object()
            #expect((list["data"] as? [Any])?.count == 3)
            #expect(server.pendingForcedFaults.isEmpty)
        }
    }

    @Test func persistentServerErrorExitsNonZeroWithIntercomsCode() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration()) { server in
            server.forceFaults(Array(repeating: .status(500), count: 4))
            let result = await ActionHarness(server: server).run { () throws(ActionUsageError) in
                try CompanyActions.get(id: "x")
            }
            #expect(result.code == 1)
            #expect(result.lines.isEmpty)
            #expect(result.errors.count == 1)
            #expect(result.errors.first?.contains("(HTTP 500") == true)
        }
    }

    @Test(arguments: [ForcedFault.status(503), .status(500), .truncate])
    func aWriteWithAnUnknownOutcomeIsNotRepeatedAndExits75(_ fault: ForcedFault) async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration()) { server in
            server.forceFaults([fault])
            let result = await ActionHarness(server: server).run { () throws(ActionUsageError) in
                try ContactActions.create(ContactFields(email: "ada@example.com"))
            }
            #expect(result.code == ActionRunner.outcomeUnknownExitCode)
            #expect(result.code == 75)
            #expect(result.lines.isEmpty)
            #expect(result.errors.count == 1)
            let line = try #require(result.errors.first)
            #expect(line.hasPrefix("intercom-triggerd: POST /contacts may or may not have been applied by Intercom"))
            #expect(line.contains("search for the record"))
            #expect(server.requestCount(method: "POST", pathTemplate: "/contacts") == 1)
        }
    }

    @Test func rejectedTokenIsReported() async throws {
        try await SimulatorServer.withRunning(SimulatorConfiguration()) { server in
            server.forceFaults([.status(401)])
            let result = await ActionHarness(server: server).run { () throws(ActionUsageError) in
                try ContactActions.get(id: "x")
            }
            #expect(result.code == 1)
            #expect(result.errors.first?.hasPrefix("intercom-triggerd: unauthorized: ") == true)
            #expect(server.totalRequestCount == 1)
        }
    }
}
