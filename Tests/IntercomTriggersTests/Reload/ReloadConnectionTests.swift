import Foundation
import Testing

@testable import IntercomTriggers

/// A reload that changes `ca_file`, a client certificate or `proxy` is a change, and the new generation's client
/// and sinks send with the new settings.
@Suite struct ReloadConnectionTests {
    static func text(store: String, intercomProxy: String, hookProxy: String, caFile: String) -> String {
        """
        [intercom]
        proxy = "\(intercomProxy)"
        [store]
        path = "\(store)"
        [[destination]]
        name = "crm"
        url = "https://hooks.example.com/a"
        unsigned = true
        ca_file = "\(caFile)"
        proxy = "\(hookProxy)"
        [[destination]]
        name = "console"
        stdout = true
        """
    }

    @Test func changedConnectionSettingsAreChangesOfTheirTables() throws {
        try ConfigFixture.with { fixture in
            try ConfigConnectionTests.writeFiles(fixture)
            try fixture.write("other-ca.pem", ConfigConnectionTests.pem)
            let base = Self.text(
                store: "/tmp/a.sqlite", intercomProxy: "", hookProxy: "http://proxy:3128", caFile: "ca.pem")
            let running = try fixture.parse(base)
            #expect(ReloadPlan.between(running, try fixture.parse(base)).changes.isEmpty)

            let newCA = try fixture.parse(base.replacingOccurrences(of: "\"ca.pem\"", with: "\"other-ca.pem\""))
            #expect(ReloadPlan.between(running, newCA).changes == ["changed destinations: crm"])

            let newProxy = try fixture.parse(
                base.replacingOccurrences(of: "http://proxy:3128", with: "http://user:pw@other:3128"))
            let plan = ReloadPlan.between(running, newProxy)
            #expect(plan.changes == ["changed destinations: crm"])
            #expect(!plan.changes.joined().contains("pw"))

            let intercomProxy = try fixture.parse(
                base.replacingOccurrences(of: "proxy = \"\"\n", with: "proxy = \"http://api-proxy:3128\"\n"))
            #expect(ReloadPlan.between(running, intercomProxy).changes == ["[intercom] settings"])
        }
    }

    @Test func theNewGenerationSendsWithTheNewSettings() async throws {
        let files = try StoreFixture()
        defer { files.remove() }
        let fixture = try ConfigFixture()
        defer { fixture.remove() }
        do {
            try ConfigConnectionTests.writeFiles(fixture)
            try fixture.write("other-ca.pem", ConfigConnectionTests.pem)
            let first = try fixture.parse(
                Self.text(store: files.path, intercomProxy: "", hookProxy: "http://proxy:3128", caFile: "ca.pem"))
            let second = try fixture.parse(
                Self.text(
                    store: files.path, intercomProxy: "http://api-proxy:3128", hookProxy: "",
                    caFile: "other-ca.pem"))
            let webhookTransport = FakeTransport([.ok("")])
            let daemon = try await Daemon.build(
                configuration: first, logger: DeliveryFixture.quiet, transport: FakeTransport([.ok("{}")]),
                webhookTransport: { webhookTransport })
            defer { try? daemon.store.close() }
            let next = try await daemon.reloaded(with: ReloadPlan.between(first, second).configuration)

            #expect(daemon.client.configuration.connection.proxy == .direct)
            #expect(next.client.configuration.connection.proxy == .url("http://api-proxy:3128"))
            let sinks = [daemon, next].map { $0.lanes.first { $0.destination == "crm" }?.sink as? WebhookSink }
            #expect(sinks[0]?.connection.proxy == .url("http://proxy:3128"))
            #expect(sinks[0]?.connection.caFile == "\(fixture.directory)/ca.pem")
            let entry = WebhookSinkTests.entry()
            _ = await sinks[1]?.deliver(entry, attemptAt: WebhookSinkTests.now)
            #expect(
                webhookTransport.requests.map(\.connection) == [
                    HTTPConnectionSettings(caFile: "\(fixture.directory)/other-ca.pem", proxy: .direct)
                ])
        }
    }
}
