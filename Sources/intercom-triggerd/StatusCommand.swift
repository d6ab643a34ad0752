import ArgumentParser
import Foundation
import IntercomTriggers

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Watermarks, lag, last polls, queue depth and failures.",
        discussion: """
            With several workspaces: one line per workspace, then the destinations; --workspace NAME shows one in \
            full.
            """)

    @OptionGroup var options: ConfigOptions

    @Option(help: "Show this workspace in full (its name in the configuration).")
    var workspace: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        try await options.withStore { configuration, store in
            let workspaces = try await options.workspaces(configuration, store: store)
            let now = unixNow()
            let sharing = try await StoreSharing.collect(
                store: store, workspaces: workspaces, lease: configuration.store.lease, now: now)
            if let name = workspace {
                let scope = try options.scope(name, among: workspaces)
                var report = try await StatusReport.collect(
                    store: store, topics: configuration.workspace(named: name)?.triggers.topics.map(\.name) ?? [],
                    destinations: configuration.destinations.filter { $0.serves(workspace: name) }.map(\.name),
                    now: now,
                    workspace: scope.workspace, named: name)
                report.sharing = sharing
                try show(json ? report.json() : nil, report.text())
            } else if workspaces.areSeveral {
                var summary = try await StatusSummary.collect(
                    store: store, workspaces: workspaces, destinations: configuration.destinations.map(\.name), now: now
                )
                summary.sharing = sharing
                try show(json ? summary.json() : nil, summary.text())
            } else {
                // One workspace (or none yet): the full report, as before workspaces.
                let only = workspaces.entries.first
                var report = try await StatusReport.collect(
                    store: store,
                    topics: (only.flatMap { configuration.workspace(named: $0.name)?.triggers }
                        ?? configuration.triggers)
                        .topics.map(\.name),
                    destinations: configuration.destinations.map(\.name), now: now,
                    workspace: only.map(\.store) ?? StoreWorkspace.first)
                report.sharing = sharing
                try show(json ? report.json() : nil, report.text())
            }
        }
    }

    /// Prints `json` when given, else `text`.
    private func show(_ json: Data?, _ text: String) throws {
        if let json {
            FileHandle.standardOutput.write(json + Data("\n".utf8))
        } else {
            print(text)
        }
    }
}
