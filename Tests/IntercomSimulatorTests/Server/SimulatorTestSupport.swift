import Foundation
import IntercomSimulator

/// Runs a simulator on 127.0.0.1, port 0, with a fresh HTTP client, and stops both afterwards.
func withSimulator(
    _ configuration: SimulatorConfiguration = .init(),
    clock: SimulatorClock = .init(),
    _ body: (SimulatorServer, TestHTTPClient) async throws -> Void
) async throws {
    let client = TestHTTPClient()
    try await SimulatorServer.withRunning(configuration, clock: clock) { server in
        try await body(server, client)
    }
}

/// A Unix time 5 s into a rate-limit window (windows start at multiples of 10 s).
let midWindow: Double = 1_763_716_805
