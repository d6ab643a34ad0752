import Foundation
import Testing

@testable import IntercomTriggers

@Suite struct ReloadPlanTests {
    static let base = """
        [intercom]
        access_token = "tok"
        [poll]
        interval = "120s"
        [store]
        path = "/tmp/a.sqlite"
        [triggers]
        topics = ["contact.lead.created", "contact.user.created"]
        [[destination]]
        name = "crm"
        url = "https://hooks.example.com/a"
        unsigned = true
        [[destination]]
        name = "console"
        stdout = true
        """

    static func parse(_ text: String) throws -> DaemonConfiguration {
        try DaemonConfiguration.parse(text: text, file: "/tmp/daemon.conf", environment: [:])
    }

    @Test func anUnchangedFileChangesNothing() throws {
        let running = try Self.parse(Self.base)
        let plan = ReloadPlan.between(running, try Self.parse(Self.base))
        #expect(plan.changes.isEmpty)
        #expect(plan.needsRestart.isEmpty)
        #expect(plan.configuration == running)
    }

    @Test func topicsIntervalAndDestinationsTakeEffect() throws {
        let running = try Self.parse(Self.base)
        let edited = Self.base
            .replacingOccurrences(of: #"interval = "120s""#, with: #"interval = "30s""#)
            .replacingOccurrences(
                of: #"topics = ["contact.lead.created", "contact.user.created"]"#,
                with: #"topics = ["contact.user.created", "contact.lead.updated"]"#
            )
            .replacingOccurrences(of: "https://hooks.example.com/a", with: "https://hooks.example.com/b")
            .replacingOccurrences(of: "name = \"console\"\nstdout = true", with: "name = \"ops\"\nstdout = true")
        let plan = ReloadPlan.between(running, try Self.parse(edited))
        #expect(
            plan.changes == [
                "topics: +contact.lead.updated −contact.lead.created", "interval: 2m → 30s",
                "destinations: +ops −console", "changed destinations: crm",
            ])
        #expect(plan.needsRestart.isEmpty)
        #expect(plan.configuration.poll.interval == .seconds(30))
        #expect(plan.configuration.destinations.map(\.name) == ["crm", "ops"])
    }

    @Test func theStorePathServiceAndLogLevelWaitForARestart() throws {
        let running = try Self.parse(Self.base)
        let edited =
            Self.base.replacingOccurrences(of: "/tmp/a.sqlite", with: "/tmp/b.sqlite") + """

                [service]
                shutdown_timeout = "5s"

                [log]
                level = "debug"
                summary_interval = "5m"
                """
        let plan = ReloadPlan.between(running, try Self.parse(edited))
        #expect(plan.configuration.store.path == "/tmp/a.sqlite")
        #expect(plan.configuration.log.level == .info)
        #expect(plan.configuration.log.summaryInterval == .seconds(300))
        #expect(plan.configuration.service.shutdownTimeout == .seconds(20))
        #expect(
            plan.needsRestart == [
                "[store] path (/tmp/a.sqlite is kept)", "[service] (shutdown_timeout and stall_limit are kept)",
                "[log] level (info is kept)",
            ])
        #expect(plan.changes == ["[log] summary_interval"])
    }
}
