import ArgumentParser
import Foundation
import IntercomTriggers

struct TailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail", abstract: "Print events from the store as JSON lines (while the daemon runs, too).")

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Keep printing new events as they are detected.")
    var follow = false

    @Option(help: "Only this topic.")
    var topic: String?

    @Option(help: "Only events detected at or after: an RFC 3339 time or a duration back such as 1h.")
    var since: String?

    @OptionGroup var workspace: WorkspaceOption

    func validate() throws {
        if let since, StartPoint(parsing: since) == nil {
            throw ValidationError("--since takes an RFC 3339 time or a duration such as 1h")
        }
    }

    func run() async throws {
        try await options.withStore { configuration, store in
            ProcessSignals.ignoreSIGPIPE()
            var scope = try options.scope(
                workspace.workspace, among: try await options.workspaces(configuration, store: store))
            // A workspace no daemon has registered yet has no events; following, wait for its rows.
            while scope == .unregistered, let name = workspace.workspace {
                guard follow else { return }
                try await Task.sleep(for: .milliseconds(500))
                scope = try await store.workspace(named: name).map(AdminWorkspaces.Scope.one) ?? .unregistered
            }
            let tail = EventTail(
                store: store, topic: topic, since: since.flatMap(StartPoint.init(parsing:))?.resolve(now: unixNow()),
                appID: (try? await store.appID(of: .first)) ?? "", workspace: scope.workspace)
            repeat {
                for line in try await tail.next() {
                    guard FileHandle.standardOutput.writeLine(line) else { return }  // the reader went away
                }
                if follow { try await Task.sleep(for: .milliseconds(500)) }
            } while follow
        }
    }
}

extension FileHandle {
    /// Writes `line` and a newline; false when the reader has gone (EPIPE).
    func writeLine(_ line: Data) -> Bool {
        do {
            try write(contentsOf: line + Data("\n".utf8))
            return true
        } catch {
            return false
        }
    }
}
