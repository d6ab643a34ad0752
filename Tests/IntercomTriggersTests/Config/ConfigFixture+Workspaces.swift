import Foundation

@testable import IntercomTriggers

/// Workspace files and tokens for a ``ConfigFixture``: `workspaces.d` beside the configuration file, and a systemd
/// credentials directory with a token `tok_NAME` for each workspace name the tests use.
extension ConfigFixture {
    /// The names that have a credential `intercom-token-NAME` in ``workspaceEnvironment``.
    static let credentialNames = ["acme", "globex", "initech", "a", "b", "c", "default", "zeta"]

    /// The directory `workspaces_dir = "workspaces.d"` names.
    var workspacesDirectory: String { "\(directory)/workspaces.d" }

    /// The workspace file `name` in ``workspacesDirectory`` (created if need be) holding `contents`; its path.
    @discardableResult
    func writeWorkspace(_ name: String, _ contents: String, mode: Int = 0o600) throws -> String {
        try FileManager.default.createDirectory(atPath: workspacesDirectory, withIntermediateDirectories: true)
        return try write("workspaces.d/\(name)", contents, mode: mode)
    }

    /// `CREDENTIALS_DIRECTORY` holding `intercom-token-NAME` = `tok_NAME` for each of ``credentialNames``, and
    /// `INTERCOM_ACCESS_TOKEN`, which workspaces must not take.
    func workspaceEnvironment() throws -> [String: String] {
        let credentials = "\(directory)/credentials"
        try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
        for name in Self.credentialNames {
            try write("credentials/intercom-token-\(name)", "tok_\(name)\n")
        }
        return ["CREDENTIALS_DIRECTORY": credentials, "INTERCOM_ACCESS_TOKEN": Self.token]
    }

    /// Parses `text` with ``workspaceEnvironment()``.
    func parseWorkspaces(_ text: String) throws -> DaemonConfiguration {
        try parse(text, environment: try workspaceEnvironment())
    }
}
