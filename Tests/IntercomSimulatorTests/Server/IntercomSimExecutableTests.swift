import Foundation
import IntercomTriggersTesting
import Testing

/// The `intercom-sim` binary SwiftPM builds next to the test bundle, if it has been built.
private let intercomSimBinary: URL? = {
    let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let candidate = directory.appendingPathComponent("intercom-sim")
    return FileManager.default.isExecutableFile(atPath: candidate.path) ? candidate : nil
}()

/// Runs the built `intercom-sim` binary; skipped when it has not been built.
@Suite(.enabled(if: intercomSimBinary != nil, "intercom-sim is not built"))
struct IntercomSimExecutableTests {
    /// A started binary with its stdout and stderr captured in files, in a directory removed with the run.
    final class Run {
        let process: SpawnedProcess
        let directory: URL
        let stdout: URL
        let stderr: URL

        init(_ arguments: [String]) throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "intercom-sim-run-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let (stdout, stderr) = (
                directory.appendingPathComponent("stdout"), directory.appendingPathComponent("stderr")
            )
            do {
                _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
                _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
                let (output, errors) = (try FileHandle(forWritingTo: stdout), try FileHandle(forWritingTo: stderr))
                defer { try? output.close() }
                defer { try? errors.close() }
                process = try SpawnedProcess(
                    executable: intercomSimBinary!.path, arguments: arguments, standardOutput: output.fileDescriptor,
                    standardError: errors.fileDescriptor)
            } catch {
                try? FileManager.default.removeItem(at: directory)
                throw error
            }
            (self.directory, self.stdout, self.stderr) = (directory, stdout, stderr)
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        func output() throws -> String { try String(contentsOf: stdout, encoding: .utf8) }
        func errors() throws -> String { try String(contentsOf: stderr, encoding: .utf8) }

        /// The first stdout line, once written (polled briefly: the binary only has to bind a local port).
        func firstLine() async throws -> String {
            for _ in 0..<200 {
                let text = try output()
                if let newline = text.firstIndex(of: "\n") { return String(text[..<newline]) }
                if !process.isRunning { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            Issue.record("no first line; stderr: \(try errors())")
            throw CancellationError()
        }

        /// Waits for the process to exit (bounded) and returns its status.
        func exitStatus() async throws -> Int32 {
            for _ in 0..<200 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning {
                process.send(SIGTERM)
                Issue.record("the process did not exit")
            }
            return await process.exited().status
        }
    }

    @Test func printsItsURLFirstServesAndStopsOnSIGTERM() async throws {
        let run = try Run(["--port", "0", "--rate-limit", "7", "--token", "t0k"])
        let line = try await run.firstLine()
        let url = try #require(URL(string: line))
        #expect(line.hasPrefix("http://127.0.0.1:"))
        #expect(url.port != nil && url.port != 0)

        let client = TestHTTPClient()
        let reply = try await client.send(
            "GET", url.appendingPathComponent("me"), headers: ["Authorization": "Bearer t0k"])
        #expect(reply.header("X-RateLimit-Limit") == "7")
        #expect(reply.header("X-RateLimit-Remaining") == "6")

        run.process.send(SIGTERM)
        #expect(try await run.exitStatus() == 0)
        #expect(try run.output() == line + "\n")
    }

    @Test func servesEveryWorkspaceByItsTokenAndPrintsOnlyTheURL() async throws {
        let run = try Run(["--port", "0", "--workspaces", "3", "--contacts", "2", "--log-level", "warning"])
        let line = try await run.firstLine()
        let url = try #require(URL(string: line))
        let client = TestHTTPClient()
        var appIDs: Set<String> = []
        for token in ["sim-token", "sim-token-2", "sim-token-3"] {
            let me = try await client.send(
                "GET", url.appendingPathComponent("me"), headers: ["Authorization": "Bearer \(token)"])
            #expect(me.status == 200)
            appIDs.insert(try #require((me.json?["app"] as? [String: Any])?["id_code"] as? String))
        }
        #expect(appIDs.count == 3)
        let refused = try await client.send(
            "GET", url.appendingPathComponent("me"), headers: ["Authorization": "Bearer sim-token-4"])
        #expect(refused.status == 401)
        let counts = try await client.send(
            "GET", try #require(URL(string: line + "/__sim/counts?workspace=all")))
        #expect(counts.json?["contacts"] as? Int == 6)

        run.process.send(SIGTERM)
        #expect(try await run.exitStatus() == 0)
        #expect(try run.output() == line + "\n")
    }

    @Test func appliesWorkspaceFaultsFromTheStart() async throws {
        let run = try Run([
            "--port", "0", "--workspaces", "4", "--workspace-faults", "2-3:revoked", "--workspace-faults",
            "3:error-rate=1,revoked", "--log-level", "warning",
        ])
        let url = try #require(URL(string: try await run.firstLine()))
        let client = TestHTTPClient()
        var statuses: [Int] = []
        for number in 1...4 {
            let reply = try await client.send(
                "GET", url.appendingPathComponent("me"), headers: ["Authorization": "Bearer sim-token-\(number)"])
            statuses.append(reply.status)
        }
        #expect(statuses == [200, 401, 401, 200])
        let faults = try await client.send(
            "GET", try #require(URL(string: url.absoluteString + "/__sim/faults?workspace=3")))
        #expect(faults.json?["error_rate"] as? Double == 1)
        #expect(faults.json?["revoked"] as? Bool == true)
        run.process.send(SIGTERM)
        #expect(try await run.exitStatus() == 0)
    }

    @Test(arguments: [
        ["--error-rate", "1.5"], ["--latency", "fast"], ["--index-lag", "30"], ["--port", "-1"],
        ["--timezone", "Mars/Olympus_Mons"], ["--no-such-flag"], ["--rate-limit", "0"], ["--contacts", "many"],
        ["--workspaces", "0"], ["--workspaces", "10001"], ["--workspaces", "-3"], ["--workspaces", "lots"],
        ["--workspaces", "3", "--workspace-faults", "4:revoked"], ["--workspace-faults", "1:latency=fast"],
        ["--workspace-faults", "1:bogus"], ["--workspace-faults", "1"], ["--workspace-faults", "1:error-rate=2"],
        ["--workspaces", "3", "--workspace-faults", "3-2:revoked"], ["--workspace-faults", "1:revoked,"],
    ])
    func refusesBadFlagsWithOneLineAndExit64(arguments: [String]) async throws {
        let run = try Run(arguments)
        #expect(try await run.exitStatus() == 64)
        let errors = try run.errors()
        #expect(errors.hasPrefix("intercom-sim: "))
        #expect(errors.filter { $0 == "\n" }.count == 1)
        #expect(try run.output().isEmpty)
    }
}
