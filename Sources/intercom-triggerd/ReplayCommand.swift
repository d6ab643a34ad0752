import ArgumentParser
import IntercomTriggers

struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Queue deliveries to a destination again, due at once.",
        discussion: "Works while the daemon runs; its lane picks them up at its next look at the store.")

    @OptionGroup var options: ConfigOptions

    @Option(help: "The destination to deliver to.")
    var destination: String

    @Option(help: "One event by id, whatever its state.")
    var event: String?

    @Option(help: "Dead letters of events detected since an RFC 3339 time or a duration back such as 24h.")
    var since: String?

    @OptionGroup var workspace: WorkspaceOption

    @Flag(help: "Every dead letter of the destination.")
    var allFailed = false

    @Flag(
        help:
            "Every queued delivery waiting for a later retry (a retry step, or a receiver's Retry-After of up to an hour): now."
    )
    var waiting = false

    func validate() throws {
        guard [event != nil, since != nil, allFailed, waiting].filter({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --event ID, --since TIME, --all-failed and --waiting")
        }
        if let since, StartPoint(parsing: since) == nil {
            throw ValidationError("--since takes an RFC 3339 time or a duration such as 1h")
        }
    }

    func run() async throws {
        try await options.withStore { configuration, store in
            try await options.checkDestination(destination, in: configuration, store: store)
            let scope = try options.scope(
                workspace.workspace, among: try await options.workspaces(configuration, store: store))
            let selection: DeliveryAdmin.ReplaySelection
            if let event {
                selection = .event(event)
            } else if let since, let start = StartPoint(parsing: since) {
                selection = .since(start.resolve(now: unixNow()))
            } else if waiting {
                selection = .waiting(now: unixNow())
            } else {
                selection = .allFailed
            }
            let count =
                if scope == .unregistered { 0 } else {
                    try await DeliveryAdmin.replay(
                        store: store, destination: destination, selection: selection, workspace: scope.workspace)
                }
            print("queued \(count) deliveries to \(destination)")
        }
    }
}
