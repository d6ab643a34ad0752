import ArgumentParser
import IntercomTriggers

struct ResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Rewind watermarks: versions at or after the time fire again, under the same event ids.",
        discussion: """
            Works while the daemon runs; it takes effect at the daemon's next poll cycle. With several workspaces, \
            name one with --workspace NAME, or give --all-workspaces.
            """)

    @OptionGroup var options: ConfigOptions

    @Option(help: "The topic to rewind.")
    var topic: String?

    @Flag(help: "Rewind every topic.")
    var all = false

    @Option(help: "now | beginning | an RFC 3339 time | a duration back such as 24h.")
    var to: String

    @Option(help: "Only this workspace (its name in the configuration).")
    var workspace: String?

    @Flag(help: "Every workspace: required instead of --workspace when there are several.")
    var allWorkspaces = false

    func validate() throws {
        guard (topic != nil) != all else { throw ValidationError("give exactly one of --topic T and --all") }
        if workspace != nil && allWorkspaces {
            throw ValidationError("give at most one of --workspace NAME and --all-workspaces")
        }
        if let topic, TopicCatalog.topic(named: topic) == nil {
            throw ValidationError(
                "unknown topic \(topic); topics: \(TopicCatalog.all.map(\.name).joined(separator: ", "))")
        }
        guard let target = StartPoint(parsing: to) else {
            throw ValidationError("--to takes now, beginning, an RFC 3339 time or a duration such as 24h")
        }
        if let refusal = target.futureRefusal(now: unixNow()) {
            throw ValidationError("--to \(refusal); a reset rewinds: give now or an earlier time")
        }
    }

    func run() async throws {
        try await options.withStore { configuration, store in
            let workspaces = try await options.workspaces(configuration, store: store)
            let point = StartPoint(parsing: to)!
            let target = point.resolve(now: unixNow())
            // Whose topics: nil for the whole store (no workspace known yet).
            let rows: [StoreWorkspace]?
            var place = ""
            switch try options.scope(workspace, among: workspaces) {
            case .unregistered:
                rows = []
            case .one(let one):
                rows = [one]
                place = " in the workspace \(workspace ?? "")"
            case .all where workspaces.areSeveral:
                // Resetting a thousand workspaces by accident would send every one's events again.
                guard allWorkspaces else {
                    printError(
                        "intercom-triggerd: there are \(workspaces.entries.count) workspaces: name the one to reset with "
                            + "--workspace NAME, or reset every one with --all-workspaces")
                    throw ExitCode(64)
                }
                rows = workspaces.entries.compactMap(\.store)
                place = " in \(rows?.count ?? 0) workspaces"
            case .all:
                rows = workspaces.entries.first.map { $0.store.map { [$0] } ?? [] }
            }
            if rows?.isEmpty == true {
                print("nothing to reset: no daemon has polled the workspace yet (it starts at its configured start)")
                return
            }
            let topics =
                if let rows {
                    try await store.requestReset(topic: topic, to: target, inEach: rows)
                } else {
                    try await store.requestReset(topic: topic, to: target)
                }
            print(
                "reset \(topics.joined(separator: ", ")) to \(point) (\(target))\(place); the daemon applies it at its next cycle"
            )
        }
    }
}
