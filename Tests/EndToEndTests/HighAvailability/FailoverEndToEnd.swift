import Foundation
import IntercomTriggersTesting
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension TriggerEndToEnd {
    /// Several daemons on one PostgreSQL store (#16), as built binaries against a real server: they share the
    /// workspaces, and when one is killed the others take its workspaces over within the lease and an interval,
    /// with no event lost.
    @Suite struct FailoverEndToEnd {
        static let workspaces = 12
        static let lease = 4
        static let interval = 1

        /// The configuration of every daemon: the simulator's workspaces, the shared store, one webhook.
        static func config(
            simulator: SimulatorProcess, store: String, receiver: WebhookReceiver, in directory: TemporaryDirectory,
            workspaces: Int = workspaces
        ) throws -> String {
            var text = """
                [intercom]
                base_url = "\(simulator.baseURL)"

                [poll]
                interval = "\(interval)s"

                [store]
                url = "\(store)"
                lease = "\(lease)s"

                [triggers]
                topics = ["contact.user.created"]
                start = "beginning"

                """
            for number in 1...workspaces {
                text += """

                    [[workspace]]
                    name = "w\(number)"
                    access_token = "\(SimulatorProcess.token)-\(number)"

                    """
            }
            var hook = WebhookDestination(name: "hook", url: receiver.url, secret: WebhookReceiver.secret)
            hook.concurrency = 8
            text += hook.toml
            let path = directory.path("daemon.conf")
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            return path
        }

        /// The contact ids the receiver got `contact.user.created` events for, with how many deliveries each.
        static func delivered(_ receiver: WebhookReceiver) -> [String: Int] {
            var counts: [String: Int] = [:]
            for request in receiver.requests {
                guard let body = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any],
                    body["topic"] as? String == "contact.user.created",
                    let data = body["data"] as? [String: Any], let item = data["item"] as? [String: Any],
                    let id = item["id"] as? String
                else { continue }
                counts[id, default: 0] += 1
            }
            return counts
        }

        /// The longest time between a contact's creation and its detection (seconds); records an issue for a
        /// contact never detected.
        static func longestDetectionWait(_ contacts: [CreatedContact], in fleet: Fleet) throws -> Int {
            let detected = try fleet.sql("SELECT item_id, detected_at FROM event").split(separator: "\n").reduce(
                into: [String: Int]()
            ) { result, line in
                let fields = line.split(separator: "|")
                if fields.count == 2, let at = Int(fields[1]) { result[String(fields[0])] = at }
            }
            let delays = contacts.compactMap { contact in detected[contact.id].map { $0 - contact.at } }
            #expect(delays.count == contacts.count)
            return delays.max() ?? 0
        }

        /// Waits until the receiver has every one of `contacts` (whichever daemon detected and delivered it);
        /// returns how many deliveries were duplicates.
        static func expectEveryContactDelivered(
            _ contacts: [CreatedContact], to receiver: WebhookReceiver, within timeout: Duration = .seconds(60)
        ) async throws -> Int {
            try await eventually("every created contact is delivered", timeout: timeout) {
                let got = Self.delivered(receiver)
                return contacts.allSatisfy { got[$0.id] != nil }
            }
            return Self.delivered(receiver).values.reduce(0) { $0 + $1 - 1 }
        }

        /// What a failover test runs against: a throw-away PostgreSQL database, the simulator with `workspaces`
        /// workspaces, a webhook receiver, and the configuration every daemon shares.
        struct Fleet {
            let cluster: PostgresCluster
            let database: String
            let directory: TemporaryDirectory
            let simulator: SimulatorProcess
            let receiver: WebhookReceiver
            let config: String

            /// Runs `statement` in the store's database.
            @discardableResult
            func sql(_ statement: String) throws -> String { try cluster.sql(statement, database: database) }

            /// `count` daemons on the shared configuration (`d1`, `d2`, …), not yet waited for.
            func daemons(_ count: Int) throws -> [DaemonProcess] {
                try (1...count).map { try DaemonProcess(config: config, in: directory, name: "d\($0)") }
            }
        }

        static func withFleet(
            _ label: String, workspaces: Int = workspaces, _ body: (Fleet) async throws -> Void
        ) async throws {
            try await PostgresCluster.withRunning { cluster in
                let database = try await cluster.createDatabase()
                let directory = try TemporaryDirectory(label)
                let simulator = try await SimulatorProcess(["--workspaces", "\(workspaces)"], in: directory)
                defer { simulator.stop() }
                try await WebhookReceiver.withRunning { receiver in
                    let config = try Self.config(
                        simulator: simulator, store: "\(cluster.url(database: database))?sslmode=disable",
                        receiver: receiver, in: directory, workspaces: workspaces)
                    try await body(
                        Fleet(
                            cluster: cluster, database: database, directory: directory, simulator: simulator,
                            receiver: receiver, config: config))
                }
            }
        }

        /// A contact the activity created: its id, its workspace's number and its `created_at`.
        struct CreatedContact: Sendable {
            var id: String
            var workspace: Int
            var at: Int
        }

        /// Creates a contact in every workspace, round after round, until stopped: the continuous activity the
        /// failures happen under.
        final class ContactActivity: Sendable {
            private let created = Mutex<[CreatedContact]>([])
            private let stopped = Atomic(false)

            /// Runs the rounds (`pause` between them) until ``stop()``; names contacts `<prefix><round> W<number>`.
            func run(in fleet: Fleet, workspaces: Int, prefix: String, pause: Duration) async throws {
                var round = 0
                while !stopped.load(ordering: .relaxed) {
                    round += 1
                    for number in 1...workspaces {
                        let contact = try await fleet.simulator.control(
                            "contacts?workspace=\(number)", ["role": "user", "name": "\(prefix)\(round) W\(number)"])
                        if let id = contact["id"] as? String {
                            let at = contact["created_at"] as? Int ?? Int(Date().timeIntervalSince1970)
                            created.withLock { $0.append(CreatedContact(id: id, workspace: number, at: at)) }
                        }
                    }
                    try await Task.sleep(for: pause)
                }
            }

            func stop() { stopped.store(true, ordering: .relaxed) }

            /// The contacts created so far.
            var contacts: [CreatedContact] { created.withLock { $0 } }
        }

        /// The issue's scale: 60 workspaces with activity in every one.
        static let killedWorkspaces = 60

        @Test(.timeLimit(.minutes(4)))
        func threeDaemonsShareTheWorkspacesAndTheOthersTakeOverFromAKilledOne() async throws {
            let workspaces = Self.killedWorkspaces
            try await Self.withFleet("failover", workspaces: workspaces) { fleet in
                let daemons = try fleet.daemons(3)
                defer { for daemon in daemons { daemon.kill() } }
                for daemon in daemons { try await daemon.waitUntilStarted() }
                let (cluster, database) = (fleet.cluster, fleet.database)
                let owners = { @Sendable () throws -> [String] in
                    try cluster.sql(
                        "SELECT owner FROM workspace_lease WHERE expires_at > now() ORDER BY workspace",
                        database: database
                    ).split(separator: "\n").map(String.init)
                }
                try await eventually("the three daemons share the workspaces", timeout: .seconds(30)) {
                    let current = try owners()
                    return current.count == workspaces && Set(current).count == 3
                }

                // Activity in every workspace while one daemon is killed.
                let activity = ContactActivity()
                async let running: Void = activity.run(
                    in: fleet, workspaces: workspaces, prefix: "R", pause: .milliseconds(500))
                try await Task.sleep(for: .seconds(3))
                let victimID = try fleet.sql("SELECT id FROM daemon_member ORDER BY id LIMIT 1")
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                let victimPID =
                    Int32(
                        try fleet.sql("SELECT pid FROM daemon_member WHERE id = '\(victimID)'")
                            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
                let victim = try #require(daemons.first { $0.process.pid == victimPID })
                let orphaned = try owners().enumerated().filter { $0.element == victimID }.map { $0.offset + 1 }
                #expect(!orphaned.isEmpty)
                victim.process.send(SIGKILL)
                let killedAt = Int(Date().timeIntervalSince1970)
                try await Task.sleep(for: .seconds(Self.lease + Self.interval + 6))
                activity.stop()
                try await running

                // Nothing lost: every contact created arrives, whichever daemon detected and delivered it.
                let contacts = activity.contacts
                let duplicates = try await Self.expectEveryContactDelivered(contacts, to: fleet.receiver)
                #expect(fleet.receiver.problems.isEmpty)
                // Detection in the killed daemon's workspaces resumed within the lease and an interval: the
                // survivors look again as the dead daemon's heartbeat runs out, and the poll loops they take
                // over poll at once.
                let detected = try fleet.sql(
                    """
                    SELECT w.name, min(e.detected_at) FROM event e JOIN workspace w ON w.id = e.workspace
                    WHERE e.detected_at >= \(killedAt) GROUP BY w.name
                    """
                ).split(separator: "\n").reduce(into: [String: Int]()) { result, line in
                    let fields = line.split(separator: "|")
                    if fields.count == 2, let at = Int(fields[1]) { result[String(fields[0])] = at }
                }
                var takeover: [Int] = []
                for number in orphaned {
                    let firstAfter = contacts.filter { $0.workspace == number && $0.at >= killedAt }.map(\.at).min()
                    guard let firstAfter, let seen = detected["w\(number)"] else {
                        Issue.record("workspace w\(number) detected nothing after the kill")
                        continue
                    }
                    takeover.append(seen - firstAfter)
                }
                // Lease + interval, plus a second for the whole-second times compared.
                let bound = Self.lease + Self.interval + 1
                #expect(takeover.allSatisfy { $0 <= bound }, "take-over delays \(takeover) s, bound \(bound) s")
                print(
                    "failover: \(contacts.count) contacts in \(workspaces) workspaces, "
                        + "\(orphaned.count) workspaces taken over, delays \(takeover.sorted()) s "
                        + "(lease \(Self.lease) s, interval \(Self.interval) s), \(duplicates) duplicate deliveries"
                )
                // The survivors hold every workspace now.
                let after = try owners()
                #expect(after.count == workspaces && !after.contains(victimID))
                for daemon in daemons where daemon !== victim {
                    #expect(try await daemon.stop(with: SIGTERM) == .exited(0))
                }
            }
        }

        @Test(.timeLimit(.minutes(4)))
        func aDaemonPausedPastItsLeaseIsFencedOffAndRejoinsWithoutLosingAnything() async throws {
            try await Self.withFleet("pause") { fleet in
                let daemons = try fleet.daemons(2)
                defer { for daemon in daemons { daemon.kill() } }
                for daemon in daemons { try await daemon.waitUntilStarted() }
                let (cluster, database) = (fleet.cluster, fleet.database)
                let leases = { @Sendable () throws -> [(owner: String, epoch: Int)] in
                    try cluster.sql(
                        "SELECT owner, epoch FROM workspace_lease WHERE expires_at > now() ORDER BY workspace",
                        database: database
                    ).split(separator: "\n").map { line in
                        let fields = line.split(separator: "|")
                        return (String(fields.first ?? ""), Int(fields.last ?? "") ?? 0)
                    }
                }
                try await eventually("the two daemons share the workspaces", timeout: .seconds(30)) {
                    let current = try leases()
                    return current.count == Self.workspaces && Set(current.map(\.owner)).count == 2
                }
                let activity = ContactActivity()
                async let running: Void = activity.run(
                    in: fleet, workspaces: Self.workspaces, prefix: "P", pause: .milliseconds(400))
                try await Task.sleep(for: .seconds(2))
                let paused = daemons[0]
                let pausedID = try fleet.sql("SELECT id FROM daemon_member WHERE pid = \(paused.process.pid)")
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                let before = try leases()
                let itsOwn = before.indices.filter { before[$0].owner == pausedID }
                // Paused (a stalled VM, a long GC): the other takes its workspaces over once the leases run out.
                paused.process.send(SIGSTOP)
                try await eventually(
                    "the other daemon takes the paused one's workspaces over", timeout: .seconds(30)
                ) {
                    let current = try leases()
                    return current.count == Self.workspaces && !current.contains { $0.owner == pausedID }
                }
                let during = try leases()
                for index in itsOwn { #expect(during[index].epoch > before[index].epoch) }
                // It wakes up: whatever it had in hand is refused by the fence; it rejoins and gets its share
                // back under new epochs.
                paused.process.send(SIGCONT)
                try await eventually("the paused daemon rejoins and polls again", timeout: .seconds(30)) {
                    try leases().contains { $0.owner == pausedID }
                }
                try await Task.sleep(for: .seconds(2))
                activity.stop()
                try await running
                let contacts = activity.contacts
                let duplicates = try await Self.expectEveryContactDelivered(contacts, to: fleet.receiver)
                #expect(paused.process.isRunning)
                #expect(fleet.receiver.problems.isEmpty)
                // One event per contact in the store, whoever detected it, however often the leases moved.
                #expect(
                    try fleet.sql("SELECT count(*) FROM event").trimmingCharacters(in: .whitespacesAndNewlines)
                        == "\(contacts.count)")
                print(
                    "pause: \(contacts.count) contacts, \(itsOwn.count) workspaces taken over and given back, "
                        + "\(duplicates) duplicate deliveries")
                for daemon in daemons {
                    #expect(try await daemon.stop(with: SIGTERM) == .exited(0))
                }
            }
        }

        /// A query sent on a connection the restart has just cut can wait forever in postgres-nio: before the
        /// transactions' watchdog (``DeadlineRace``) this test failed one run in two, a daemon stalled for minutes.
        @Test(.timeLimit(.minutes(4)))
        func aDatabaseRestartCostsTimeButNoEvent() async throws {
            try await Self.withFleet("db-restart") { fleet in
                let daemons = try fleet.daemons(2)
                defer { for daemon in daemons { daemon.kill() } }
                for daemon in daemons { try await daemon.waitUntilStarted() }
                let activity = ContactActivity()
                async let running: Void = activity.run(
                    in: fleet, workspaces: Self.workspaces, prefix: "D", pause: .milliseconds(400))
                try await Task.sleep(for: .seconds(3))
                // The database goes away for a few seconds (a restart, a failover) while contacts keep coming.
                await fleet.cluster.shutDown()
                try await Task.sleep(for: .seconds(3))
                try await fleet.cluster.startAgain()
                try await Task.sleep(for: .seconds(Self.lease + 3))
                activity.stop()
                try await running
                let contacts = activity.contacts
                let duplicates = try await Self.expectEveryContactDelivered(
                    contacts, to: fleet.receiver, within: .seconds(90))
                #expect(daemons.allSatisfy { $0.process.isRunning })
                #expect(fleet.receiver.problems.isEmpty)
                #expect(
                    try fleet.sql("SELECT count(*) FROM event").trimmingCharacters(in: .whitespacesAndNewlines)
                        == "\(contacts.count)")
                // The outage (3 s) costs a lease at most: the daemons stop polling when their leases run out
                // locally and take them again once the database is back. (A stall on a dead connection cost
                // a minute and more.)
                let worst = try Self.longestDetectionWait(contacts, in: fleet)
                let bound = 3 + Self.lease + Self.interval + 6
                #expect(worst <= bound, "the longest wait for detection was \(worst) s (bound \(bound) s)")
                print(
                    "database restart: \(contacts.count) contacts, none lost, longest detection wait \(worst) s, "
                        + "\(duplicates) duplicate deliveries")
                for daemon in daemons {
                    #expect(try await daemon.stop(with: SIGTERM) == .exited(0))
                }
            }
        }

        @Test(.timeLimit(.minutes(4)))
        func aRollingRestartLeavesNoGapLongerThanALeaseAndAnInterval() async throws {
            try await Self.withFleet("rolling") { fleet in
                var daemons = try fleet.daemons(3)
                defer { for daemon in daemons { daemon.kill() } }
                for daemon in daemons { try await daemon.waitUntilStarted() }
                let activity = ContactActivity()
                async let running: Void = activity.run(
                    in: fleet, workspaces: Self.workspaces, prefix: "U", pause: .milliseconds(400))
                try await Task.sleep(for: .seconds(2))
                // An upgrade: each daemon in turn stops cleanly (handing its workspaces over) and a new one starts.
                for index in daemons.indices {
                    let stopping = ContinuousClock.now
                    #expect(try await daemons[index].stop(with: SIGTERM) == .exited(0))
                    print("rolling restart: d\(index + 1) stopped in \(ContinuousClock.now - stopping)")
                    daemons[index] = try DaemonProcess(
                        config: fleet.config, in: fleet.directory, name: "d\(index + 1)-new")
                    try await daemons[index].waitUntilStarted()
                    try await Task.sleep(for: .seconds(2))
                }
                try await Task.sleep(for: .seconds(2))
                activity.stop()
                try await running
                let contacts = activity.contacts
                let duplicates = try await Self.expectEveryContactDelivered(contacts, to: fleet.receiver)
                // How long each contact waited to be detected, through three restarts.
                let worst = try Self.longestDetectionWait(contacts, in: fleet)
                let bound = Self.lease + Self.interval
                #expect(
                    worst <= bound, "the longest wait for detection was \(worst) s (lease + interval: \(bound) s)")
                print(
                    "rolling restart: \(contacts.count) contacts, none lost, longest detection wait \(worst) s "
                        + "(lease + interval \(bound) s), \(duplicates) duplicate deliveries")
                for daemon in daemons {
                    #expect(try await daemon.stop(with: SIGTERM) == .exited(0))
                }
            }
        }
    }
}
