import Foundation
import IntercomTriggersTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The tests' own child processes (Foundation's `Process.run()` can crash the test process on Linux).
@Suite struct SpawnedProcessTests {
    /// Runs `/bin/sh -c script` to its end; its stdout, and how it ended.
    func shell(
        _ script: String, environment: [String: String]? = nil, directory: String? = nil
    ) throws -> (output: String, ended: SpawnedProcess.Termination) {
        let output = Pipe()
        let process = try SpawnedProcess(
            executable: "/bin/sh", arguments: ["-c", script], environment: environment, directory: directory,
            standardOutput: output.fileHandleForWriting.fileDescriptor)
        try output.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (text, process.waitUntilExit())
    }

    @Test func reportsTheExitStatusTheEnvironmentAndTheDirectory() throws {
        let run = try shell("echo \"$GREETING\"; pwd; exit 3", environment: ["GREETING": "hi"], directory: "/tmp")
        #expect(run.output == "hi\n/tmp\n")
        #expect(run.ended == .exited(3))
    }

    @Test func aChildInheritsNoDescriptorBeyondItsStandardOnesAndStdinIsEmpty() throws {
        // A descriptor without close-on-exec in this process: the child must not get it.
        let leaked = open("/dev/null", O_RDONLY)
        defer { close(leaked) }
        let run = try shell("ls /proc/$$/fd; cat")
        #expect(run.output.split(separator: "\n").sorted() == ["0", "1", "2"])
        #expect(run.ended == .exited(0))
    }

    @Test func aSignalledChildIsReportedKilledAndSignalsAfterItsEndGoNowhere() async throws {
        let process = try SpawnedProcess(executable: "/bin/sleep", arguments: ["30"])
        #expect(process.isRunning)
        process.send(SIGTERM)
        #expect(await process.exited() == .killed(by: SIGTERM))
        #expect(!process.isRunning)
        process.send(SIGKILL)  // reaped: no signal to a pid the system may have reused
        #expect(process.termination == .killed(by: SIGTERM))
    }

    @Test func aMissingExecutableIsAnError() {
        #expect(throws: SpawnedProcess.SpawnError.self) {
            try SpawnedProcess(executable: "/nonexistent/tool", arguments: [])
        }
    }
}
