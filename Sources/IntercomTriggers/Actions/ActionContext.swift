import Foundation

/// What an action needs while it runs: the shared client and where to write.
public struct ActionContext: Sendable {
    public let client: IntercomClient
    public let output: any ActionOutput
    /// Indent single objects (`--pretty`); JSON lines are always one line each.
    public let pretty: Bool

    public init(client: IntercomClient, output: any ActionOutput, pretty: Bool) {
        self.client = client
        self.output = output
        self.pretty = pretty
    }

    /// Prints one API object (a response body) on stdout.
    public func printObject(_ json: Data) {
        output.standardOutput((pretty ? JSONLayout.pretty(json) : JSONLayout.compact(json)) + Data("\n".utf8))
    }

    /// Prints one list item as a JSON line on stdout.
    public func printLine(_ json: Data) {
        output.standardOutput(JSONLayout.compact(json) + Data("\n".utf8))
    }

    /// One progress line on stderr.
    public func progress(_ line: String) { output.standardError(line) }
}
