// The floor of scripts/bench-floor.c, through the daemon's own HTTP layer (scripts/bench-workspaces --floor): the same
// two searches every interval, sent by a task that prefers the daemon's HTTP thread (`CurlDriver`, as the poll loops
// do), sleeping on that thread's timers and sending through `CurlTransport` — the daemon's wake-up, transfer set-up
// and response, without the Intercom client, the pass, the store or the telemetry. Compiled whole-module with
// bench-floor-run.swift and Sources/IntercomTriggers/HTTP (but the metrics server) as one module; the same arguments
// and output as bench-floor.c.
import Foundation

@main
struct BenchFloorDriver {
    static func main() async throws {
        let run = FloorRun()
        let headers = [
            (name: "Authorization", value: "Bearer \(run.token)"), (name: "Content-Type", value: "application/json"),
            (name: "Accept", value: "application/json"), (name: "Intercom-Version", value: "2.11"),
        ]
        let requests = zip(["contacts", "conversations"], run.bodies).map { resource, body in
            HTTPRequest(
                method: .post, url: URL(string: "\(run.baseURL)/\(resource)/search")!, headers: headers,
                body: Data(body.utf8))
        }
        let transport = CurlTransport(environment: [:])
        let driver = CurlDriver.shared
        let line = try await withThrowingTaskGroup(of: String.self) { group in
            group.addTask(executorPreference: driver) {
                try await run.measure(
                    sleep: { try await driver.sleep(until: .now + $0) },
                    send: { index in
                        let response = try await transport.send(requests[index])
                        guard response.status == 200 else {
                            throw HTTPTransportError.notConnected("\(response.status)")
                        }
                        return response.body.count
                    })
            }
            return try await group.next()!
        }
        print(line)
    }
}

/// Stands in for the configuration's redaction, which the HTTP layer's proxy description calls (never printed here).
enum DaemonConfiguration {
    static func redacted(_ proxy: HTTPProxy) -> String { "proxy" }
}
