import Foundation
import IntercomSimulator
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// Runs `api` actions against a simulator the way the command does, capturing the output.
struct ActionHarness {
    let server: SimulatorServer

    struct Result {
        var code: Int32
        var output: CapturedOutput

        var lines: [String] { output.lines }
        var errors: [String] { output.errors }

        /// Stdout parsed as one JSON object.
        func object() throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(output.out.utf8)) as? [String: Any])
        }

        /// Each stdout line parsed as a JSON object.
        func objects() throws -> [[String: Any]] {
            try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        }
    }

    func client() -> IntercomClient {
        IntercomClient(
            configuration: IntercomConfiguration(
                accessToken: server.token, baseURL: server.baseURL, maxRequestsPerMinute: 100_000,
                requestTimeout: .seconds(10),
                retryPolicy: RetryPolicy(maxAttempts: 4, baseDelay: .seconds(1), maxDelay: .seconds(4))),
            clock: InstantWallClock(simulator: server.clock))
    }

    func run(pretty: Bool = false, _ build: () throws(ActionUsageError) -> any ApiAction) async -> Result {
        let output = CapturedOutput()
        let code = await ActionRunner(client: client(), output: output, pretty: pretty).run(build)
        return Result(code: code, output: output)
    }

    /// The token's admin id.
    func adminID() async throws -> String {
        let client = client()
        let id = try await client.me().id
        await client.shutdown()
        return id
    }
}
