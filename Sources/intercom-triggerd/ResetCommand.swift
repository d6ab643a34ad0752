import ArgumentParser
import IntercomTriggers

struct ResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Rewind watermarks: versions at or after the time fire again, under the same event ids.",
        discussion: "Works while the daemon runs; it takes effect at the daemon's next poll cycle.")

    @OptionGroup var options: ConfigOptions

    @Option(help: "The topic to rewind.")
    var topic: String?

    @Flag(help: "Rewind every topic.")
    var all = false

    @Option(help: "now | beginning | an RFC 3339 time | a duration back such as 24h.")
    var to: String

    func validate() throws {
        guard (topic != nil) != all else { throw ValidationError("give exactly one of --topic T and --all") }
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
        let store = try options.openStore().store
        defer { try? store.close() }
        let target = StartPoint(parsing: to)!.resolve(now: unixNow())
        let topics = try await store.requestReset(topic: topic, to: target)
        print(
            "reset \(topics.joined(separator: ", ")) to \(StartPoint(parsing: to)!) (\(target)); "
                + "the daemon applies it at its next cycle")
    }
}
