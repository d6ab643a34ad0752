import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// Every request the client sends, retries included, carries `[intercom]`'s connection settings and the API's
/// body limit.
@Suite struct IntercomClientConnectionTests {
    static let connections: [HTTPConnectionSettings] = [
        HTTPConnectionSettings(),
        HTTPConnectionSettings(caFile: "/etc/intercom-triggerd/ca.pem", proxy: .direct),
        HTTPConnectionSettings(proxy: .url("http://user:pw@proxy.example.com:3128")),
    ]

    @Test(arguments: connections)
    func everyRequestCarriesTheConnectionAndTheAPIBodyLimit(_ connection: HTTPConnectionSettings) async throws {
        // The first answer fails to connect, so the retry is recorded too.
        let transport = FakeTransport([
            .failure(.notConnected("connection refused")), .ok(IntercomClientTests.contactBody),
        ])
        let configuration = IntercomConfiguration(
            accessToken: IntercomClientTests.token, baseURL: URL(string: "http://127.0.0.1:9/")!,
            retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: .seconds(1), maxDelay: .seconds(1), jitter: .none),
            connection: connection)
        let client = IntercomClient(
            configuration: configuration, transport: transport, clock: InstantWallClock(), random: { 0.5 })
        _ = try await client.getContact(id: "c1")
        _ = try await client.updateContact(id: "c1", Data(#"{"name":"x"}"#.utf8))
        _ = try await client.send(.get, path: "/contacts/c1")
        let requests = transport.requests
        #expect(requests.count == 4)
        for request in requests {
            #expect(request.connection == connection)
            #expect(request.bodyLimit == .api)
        }
    }

    @Test func theDaemonConfigurationsConnectionReachesTheClient() {
        let connection = HTTPConnectionSettings(caFile: "/ca.pem", proxy: .url("http://proxy:3128"))
        let settings = DaemonConfiguration.Intercom(
            accessToken: Secret("tok", source: .inline(key: "access_token")), connection: connection)
        #expect(settings.clientConfiguration.connection == connection)
    }
}
