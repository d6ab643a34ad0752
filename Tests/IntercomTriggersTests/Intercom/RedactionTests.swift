import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

@Suite struct RedactionTests {
    static let token = "dG9rOnNlY3JldC10b2tlbi0xMjM0NQ=="

    @Test func configurationNeverPrintsTheToken() {
        let configuration = IntercomConfiguration(accessToken: Self.token, region: .eu)
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [
            configuration.description, configuration.debugDescription, String(reflecting: configuration),
            "\(configuration)", dumped,
        ] {
            #expect(!text.contains(Self.token))
            #expect(!text.contains("secret-token"))
        }
        #expect(configuration.description.contains("Bearer ***"))
        #expect(configuration.description.contains("https://api.eu.intercom.io"))
    }

    @Test(arguments: [401, 400, 503])
    func errorsNeverCarryTheToken(_ status: Int) async throws {
        let transport = FakeTransport([
            .error(status, code: "unauthorized", message: "Token \(Self.token) is not valid")
        ])
        let (logger, logs) = CapturingLogHandler.logger()
        let client = IntercomClient(
            configuration: IntercomConfiguration(
                accessToken: Self.token, baseURL: URL(string: "http://127.0.0.1:9")!,
                retryPolicy: RetryPolicy(maxAttempts: 2)),
            transport: transport, clock: InstantWallClock(), logger: logger)
        do {
            _ = try await client.me()
            Issue.record("expected an error")
        } catch let error as IntercomError {
            for text in [error.description, error.debugDescription, String(reflecting: error), "\(error)"] {
                #expect(!text.contains(Self.token))
            }
            #expect(error.description.contains("***"))
        }
        #expect(!logs.all.isEmpty)
        #expect(logs.all.allSatisfy { !$0.contains(Self.token) })
    }

    @Test func requestLogsCarryMethodPathStatusAttemptButNoSecret() async throws {
        let transport = FakeTransport([
            .error(500, code: "server_error", message: "boom"),
            .ok(#"{"type":"admin","id":"1"}"#),
        ])
        let (logger, logs) = CapturingLogHandler.logger()
        let client = IntercomClient(
            configuration: IntercomConfiguration(accessToken: Self.token, baseURL: URL(string: "http://127.0.0.1:9")!),
            transport: transport, clock: InstantWallClock(), logger: logger)
        _ = try await client.me()
        let requestLines = logs.all.filter { $0.hasPrefix("debug Intercom request ") }
        #expect(requestLines.count == 2)
        #expect(requestLines[0].contains("status=500") && requestLines[0].contains("attempt=1"))
        #expect(requestLines[1].contains("status=200") && requestLines[1].contains("attempt=2"))
        #expect(requestLines.allSatisfy { $0.contains("method=GET") && $0.contains("path=/me") })
        #expect(logs.all.allSatisfy { !$0.contains(Self.token) && !$0.contains("Bearer") })
    }
}
