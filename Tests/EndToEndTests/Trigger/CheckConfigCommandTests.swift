import Foundation
import Testing

extension TriggerEndToEnd {
    /// `check-config` as an operator runs it: a warning is one compiler-style line on stderr, the resolved
    /// configuration on stdout.
    @Suite struct CheckConfigCommandTests {
        @Test(.timeLimit(.minutes(1)))
        func aWarningIsOneLineSaidOnce() async throws {
            let directory = try TemporaryDirectory("check-config")
            let config = directory.path("daemon.conf")
            let text = """
                [intercom]
                access_token = "inline-token"

                [[destination]]
                name = "out"
                stdout = true
                """
            try Data(text.utf8).write(to: URL(fileURLWithPath: config))
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: config)

            let result = try await DaemonCommand.run(["check-config", "--config", config], in: directory)
            #expect(result.termination == .exited(0), "\(result.standardError)")
            let warnings = result.standardError.split(separator: "\n").map(String.init)
            #expect(warnings.count == 1, "\(warnings)")
            let warning = try #require(warnings.first)
            #expect(warning.hasPrefix("\(config):2: warning: "), "\(warning)")
            #expect(warning.components(separatedBy: "warning:").count == 2, "said once: \(warning)")
            #expect(warning.hasSuffix(")") && warning.contains("(fix: chmod 600"), "\(warning)")
            #expect(result.standardOutput.contains("access_token = \"***\""))
            #expect(!result.standardOutput.contains("inline-token"))
        }
    }
}
