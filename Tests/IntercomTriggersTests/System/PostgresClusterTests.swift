import Foundation
import IntercomTriggersTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The throw-away PostgreSQL cluster the PostgreSQL store's tests run against (#16).
@Suite("PostgreSQL test cluster", .serialized)
struct PostgresClusterTests {
    @Test("a cluster starts on loopback, serves databases of its own, and is gone after stop")
    func startsAndStops() async throws {
        let cluster = try await PostgresCluster.start()
        let directory = cluster.directory
        let database = try await cluster.createDatabase()
        try cluster.sql("CREATE TABLE t (n int); INSERT INTO t VALUES (41), (1)", database: database)
        #expect(try cluster.sql("SELECT sum(n) FROM t", database: database).trimmed == "42")
        #expect(try cluster.sql("SHOW listen_addresses").trimmed == "127.0.0.1")
        #expect(cluster.url(database: database) == "postgresql://triggerd@127.0.0.1:\(cluster.port)/\(database)")
        // Databases are separate: the table is not in another one.
        let other = try await cluster.createDatabase()
        #expect(throws: (any Error).self) { try cluster.sql("SELECT * FROM t", database: other) }
        await cluster.stop()
        #expect(!FileManager.default.fileExists(atPath: directory.path))
        #expect(!LoopbackPort.acceptsConnections(cluster.port))
    }

    @Test("a restart keeps committed data and the port; a killed server recovers what was committed")
    func restartAndKill() async throws {
        try await PostgresCluster.withRunning { cluster in
            let database = try await cluster.createDatabase()
            try cluster.sql("CREATE TABLE t (n int); INSERT INTO t VALUES (1)", database: database)
            try await cluster.restart()
            try cluster.sql("INSERT INTO t VALUES (2)", database: database)
            await cluster.kill()
            #expect(!LoopbackPort.acceptsConnections(cluster.port))
            #expect(throws: (any Error).self) { try cluster.sql("SELECT 1", database: database) }
            try await cluster.startAgain()
            #expect(try cluster.sql("SELECT count(*) FROM t", database: database).trimmed == "2")
        }
    }

    @Test("with a password, TCP connections need it while the socket trusts")
    func password() async throws {
        try await PostgresCluster.withRunning(.init(password: "s3cret")) { cluster async throws in
            let tcp = { (password: String?) throws -> String in
                try PsqlOverTCP.run(cluster: cluster, password: password, "SELECT 7")
            }
            #expect(try tcp("s3cret").trimmed == "7")
            #expect(throws: (any Error).self) { _ = try tcp("wrong") }
            #expect(try cluster.sql("SELECT 8").trimmed == "8")
        }
    }

    @Test("the shared cluster is one server for the whole test process")
    func shared() async throws {
        let first = try await PostgresCluster.shared()
        let second = try await PostgresCluster.shared()
        #expect(first === second)
        #expect(try first.sql("SELECT 1").trimmed == "1")
    }
}

/// `psql` over TCP with a password in its environment (what a client on another host does).
private enum PsqlOverTCP {
    static func run(cluster: PostgresCluster, password: String?, _ statement: String) throws -> String {
        let output = Pipe()
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = password ?? ""
        environment["PGCONNECT_TIMEOUT"] = "5"
        let process = try SpawnedProcess(
            executable: "/usr/bin/psql",
            arguments: ["-X", "-A", "-t", "-w", "-c", statement, cluster.url(database: "postgres")],
            environment: environment, standardOutput: output.fileHandleForWriting.fileDescriptor)
        try output.fileHandleForWriting.close()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        guard process.waitUntilExit() == .exited(0) else { throw PsqlFailed() }
        return String(decoding: printed, as: UTF8.self)
    }

    struct PsqlFailed: Error {}
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
