import Foundation

@testable import IntercomTriggers

/// A temporary directory for one test's configuration and secret files, and helpers to parse texts in it.
struct ConfigFixture {
    /// A valid Standard Webhooks secret (32 bytes).
    static let whsec = "whsec_" + Data((0..<32).map { UInt8($0) }).base64EncodedString()
    /// Another one, for rotations.
    static let oldWhsec = "whsec_" + Data((0..<32).map { UInt8(200 - $0) }).base64EncodedString()
    static let token = "tok_envtoken"

    let directory: String

    init() throws {
        directory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("config-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The configuration file's path in the fixture.
    var file: String { "\(directory)/daemon.conf" }

    /// Writes `contents` to `name` in the fixture with `mode`, returning its path.
    @discardableResult
    func write(_ name: String, _ contents: String, mode: Int = 0o600) throws -> String {
        let path = "\(directory)/\(name)"
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    /// Parses `text` as the fixture's configuration file, `{dir}` replaced by the fixture directory.
    func parse(_ text: String, environment: [String: String] = ["INTERCOM_ACCESS_TOKEN": token]) throws(ConfigError)
        -> DaemonConfiguration
    {
        try DaemonConfiguration.parse(
            text: text.replacingOccurrences(of: "{dir}", with: directory), file: file, environment: environment)
    }

    /// The error parsing `text` throws, nil when it parses.
    func refusal(_ text: String, environment: [String: String] = ["INTERCOM_ACCESS_TOKEN": token]) -> ConfigError? {
        do {
            _ = try parse(text, environment: environment)
            return nil
        } catch {
            return error
        }
    }

    /// Runs `body` with a fresh fixture, removed afterwards.
    static func with<T>(_ body: (ConfigFixture) throws -> T) throws -> T {
        let fixture = try ConfigFixture()
        defer { fixture.remove() }
        return try body(fixture)
    }
}
