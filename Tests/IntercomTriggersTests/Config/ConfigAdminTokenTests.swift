import Foundation
import Testing

@testable import IntercomTriggers

/// The store-only commands (`status`, `reset`, `tail`, `dead-letters`, `replay`) load the configuration without
/// tokens (#15): a token they cannot read, in `[intercom]`, a `[[workspace]]` or a workspace file, is none.
@Suite struct ConfigAdminTokenTests {
    static let missing = "/nonexistent/intercom-triggerd-token"

    @Test(arguments: [
        "[intercom]\naccess_token_file = \"\(missing)\"\n",
        "[[workspace]]\nname = \"acme\"\naccess_token_file = \"\(missing)\"\n",
        "workspaces_dir = \"workspaces.d\"\n",
    ])
    func anUnreadableTokenIsNoneForStoreOnlyCommands(text: String) throws {
        try ConfigFixture.with { fixture in
            try fixture.writeWorkspace("globex.toml", "access_token_file = \"\(Self.missing)\"\n")
            try fixture.write("daemon.conf", text)
            let configuration = try DaemonConfiguration.load(path: fixture.file, environment: [:], tokenRequired: false)
            #expect(configuration.workspaces.allSatisfy { $0.intercom.accessToken == Secret("", source: .absent) })
            #expect(!configuration.workspaces.isEmpty)
            let refusal = #expect(throws: ConfigError.self) {
                try DaemonConfiguration.load(path: fixture.file, environment: [:])
            }
            #expect(refusal?.problem.contains("cannot read the secret file \(Self.missing)") == true)
        }
    }

    @Test func anUnreadableCredentialIsNoneForStoreOnlyCommands() throws {
        try ConfigFixture.with { fixture in
            // A directory where the credential file should be: it cannot be read as one.
            let credentials = "\(fixture.directory)/credentials"
            try FileManager.default.createDirectory(
                atPath: "\(credentials)/intercom-token-acme", withIntermediateDirectories: true)
            try fixture.write("daemon.conf", "[[workspace]]\nname = \"acme\"\n")
            let environment = ["CREDENTIALS_DIRECTORY": credentials]
            let configuration = try DaemonConfiguration.load(
                path: fixture.file, environment: environment, tokenRequired: false)
            #expect(configuration.workspaces.map(\.intercom.accessToken.source) == [.absent])
            #expect(throws: ConfigError.self) {
                try DaemonConfiguration.load(path: fixture.file, environment: environment)
            }
        }
    }

    @Test func aReadableTokenIsStillChecked() throws {
        try ConfigFixture.with { fixture in
            try fixture.write("token", "tok en\n")
            try fixture.write("daemon.conf", "[[workspace]]\nname = \"acme\"\naccess_token_file = \"token\"\n")
            #expect(throws: ConfigError.self) {
                try DaemonConfiguration.load(path: fixture.file, environment: [:], tokenRequired: false)
            }
        }
    }
}
