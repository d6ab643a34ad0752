import Foundation

/// `openssl s_server` on 127.0.0.1 requiring a client certificate signed by a given CA, and failing the
/// handshake without one (`-Verify 1 -verify_return_error`): the strict kind of mutual-TLS receiver, which
/// nginx is not (nginx completes the handshake, then answers 400 or closes). Answers `GET` with a status page
/// (`-www`). Use ``withRunning(certificate:clientCAFile:protocolVersion:_:)``.
public final class MutualTLSReceiver: Sendable {
    /// A TLS version `s_server` is limited to.
    public enum ProtocolVersion: String, Sendable, CaseIterable {
        /// The client learns of the missing certificate in the handshake (an alert in answer to its Finished).
        case tls12 = "-tls1_2"
        /// The client's handshake is over before the server checks: the alert arrives after the request went.
        case tls13 = "-tls1_3"
    }

    /// The port it listens on.
    public let port: Int
    private let process: ServerProcess

    private init(port: Int, process: ServerProcess) {
        self.port = port
        self.process = process
    }

    /// `https://127.0.0.1:PORT` + `path`.
    public func url(_ path: String = "/hook") -> URL { URL(string: "https://127.0.0.1:\(port)\(path)")! }

    /// What `s_server` has written (its verification errors among it).
    public var log: String { process.log }

    /// Starts `openssl s_server` presenting `certificate`, requiring a client certificate signed by
    /// `clientCAFile`, speaking only `protocolVersion`; runs `body`; stops it.
    public static func withRunning<T: Sendable>(
        certificate: TestCertificate, clientCAFile: String, protocolVersion: ProtocolVersion,
        _ body: (MutualTLSReceiver) async throws -> T
    ) async throws -> T {
        let directory = try ExternalTool.temporaryDirectory("s-server")
        defer { try? FileManager.default.removeItem(at: directory) }
        var attempt = 0
        while true {
            attempt += 1
            let port = try LoopbackPort.pickFree()
            let process: ServerProcess
            do {
                process = try await ServerProcess.start(
                    "openssl",
                    [
                        "s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificate.certificateFile,
                        "-key", certificate.keyFile, "-CAfile", clientCAFile, "-Verify", "1",
                        "-verify_return_error", protocolVersion.rawValue, "-www",
                    ], port: port, logFile: directory.appendingPathComponent("s_server-\(attempt).log"))
            } catch {
                if ServerProcess.isConflict(error), attempt < 5 { continue }
                throw error
            }
            let receiver = MutualTLSReceiver(port: port, process: process)
            do {
                let result = try await body(receiver)
                await process.stop()
                return result
            } catch {
                await process.stop()
                throw error
            }
        }
    }
}
