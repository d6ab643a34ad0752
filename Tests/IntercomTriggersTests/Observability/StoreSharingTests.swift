import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// `status` on a store several daemons share (#16): the live daemons, who polls each workspace and delivers each
/// ordered destination, and what no daemon holds.
@Suite struct StoreSharingTests {
    @Test func statusNamesTheDaemonsAndWhoPollsWhat() async throws {
        try await StoreFixture.withPostgresStore { store async throws in
            var ids: [StoreWorkspace] = []
            for name in ["acme", "globex", "initech"] { ids.append(try await store.registerWorkspace(name: name)) }
            let a = LeaseKeeperTests.keeper(store, "a")
            let b = LeaseKeeperTests.keeper(store, "b")
            for keeper in [a, b] {
                keeper.setWorkspaces(Set(ids[0..<2]))  // initech is configured but nobody was told of it yet
                keeper.setOrderedLanes(["crm"])
            }
            let renewing = Int(Date().timeIntervalSince1970)
            for keeper in [a, b, a, b] { await keeper.renew() }
            let workspaces = try await AdminWorkspaces.load(configured: ["acme", "globex", "initech"], store: store)
            let now = Int(Date().timeIntervalSince1970)
            let sharing = try #require(
                try await StoreSharing.collect(store: store, workspaces: workspaces, lease: .seconds(30), now: now))
            #expect(sharing.daemons.map(\.id) == ["a", "b"])
            #expect(Set(sharing.daemons.flatMap(\.workspaces)) == ["acme", "globex"])
            #expect(sharing.daemons.flatMap(\.orderedDestinations) == ["crm"])
            #expect(sharing.unowned == ["initech"])
            let acmeOwner = try #require(sharing.daemons.first { $0.workspaces.contains("acme") })
            #expect(sharing.owner(of: "acme") == "h pid 1")
            // No older than the renewals (whole seconds; however long a loaded test process took over them).
            #expect((0...(now - renewing + 1)).contains(acmeOwner.heartbeatAgeSeconds))
            let text = sharing.lines().joined(separator: "\n")
            #expect(text.hasPrefix("daemons: 2 live"))
            #expect(text.contains("no daemon polls initech now"))
            #expect(text.contains("delivers crm"))
            // The summary's lines say who polls each workspace.
            var summary = try await StatusSummary.collect(
                store: store, workspaces: workspaces, destinations: ["crm"], now: now)
            summary.sharing = sharing
            let lines = summary.text().split(separator: "\n")
            #expect(lines.contains { $0.hasPrefix("  acme:") && $0.hasSuffix("· polled by h pid 1") })
            #expect(lines.contains { $0.hasPrefix("  initech:") && $0.hasSuffix("· no daemon") })
            let json = try #require(try JSONSerialization.jsonObject(with: summary.json()) as? [String: Any])
            #expect((json["sharing"] as? [String: Any])?["unowned"] as? [String] == ["initech"])
        }
    }

    @Test func aSQLiteStoreHasNoSharing() async throws {
        try await StoreFixture.withStore { store async throws in
            let workspaces = try await AdminWorkspaces.load(configured: nil, store: store)
            #expect(
                try await StoreSharing.collect(store: store, workspaces: workspaces, lease: .seconds(30), now: 0) == nil
            )
        }
    }
}
