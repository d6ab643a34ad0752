import ArgumentParser
import Foundation
import IntercomTriggers

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Watermarks, lag, last polls, queue depth and failures.")

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let (configuration, store) = try options.openStore()
        defer { try? store.close() }
        let report = try await StatusReport.collect(
            store: store, topics: configuration.triggers.topics.map(\.name),
            destinations: configuration.destinations.map(\.name), now: unixNow())
        if json {
            FileHandle.standardOutput.write(try report.json() + Data("\n".utf8))
        } else {
            print(report.text())
        }
    }
}
