import Foundation

/// A throw-away PKI for TLS tests, generated per run with the `openssl` command line tool in a temporary
/// directory: a CA and the server certificates it signed (valid for `127.0.0.1` and `localhost`, expired, for
/// another host name), a second, unrelated CA with a server certificate of its own, and a client CA with a
/// client certificate for mutual TLS. EC P-256 keys, so generating the whole set takes a fraction of a second.
///
/// Use ``withGenerated(_:)``; it removes the files afterwards. Every path is absolute.
public final class TestCertificates: Sendable {
    /// Where the files are.
    public let directory: URL
    /// The CA every certificate below is signed by, unless it says otherwise: what a client trusts (`ca_file`).
    public let caFile: String
    /// A server certificate for `IP:127.0.0.1` and `DNS:localhost`.
    public let server: TestCertificate
    /// Like ``server`` but valid only in January 2020.
    public let expired: TestCertificate
    /// A server certificate for `DNS:wrong.example` only.
    public let wrongHost: TestCertificate
    /// The unrelated CA that signed ``unknownCA``.
    public let otherCAFile: String
    /// A server certificate for `127.0.0.1` and `localhost` signed by the unrelated CA: a client trusting
    /// ``caFile`` does not know its issuer.
    public let unknownCA: TestCertificate
    /// The CA a receiver requiring mutual TLS trusts for client certificates.
    public let clientCAFile: String
    /// A client certificate signed by ``clientCAFile``.
    public let client: TestCertificate

    /// Generates the whole set into a new temporary directory.
    public init() throws {
        let directory = try ExternalTool.temporaryDirectory("certificates")
        do {
            let pki = Generator(directory: directory)
            caFile = try pki.authority("ca", subject: "intercom-triggerd test CA")
            otherCAFile = try pki.authority("other-ca", subject: "Unrelated test CA")
            clientCAFile = try pki.authority("client-ca", subject: "intercom-triggerd test client CA")
            server = try pki.leaf("server", signedBy: "ca", extensions: "server_localhost")
            expired = try pki.leaf(
                "expired", signedBy: "ca", extensions: "server_localhost",
                validity: ["-startdate", "20200101000000Z", "-enddate", "20200201000000Z"])
            wrongHost = try pki.leaf("wrong-host", signedBy: "ca", extensions: "server_wrong_host")
            unknownCA = try pki.leaf("unknown-ca", signedBy: "other-ca", extensions: "server_localhost")
            client = try pki.leaf("client", signedBy: "client-ca", extensions: "client")
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        self.directory = directory
    }

    /// Generates a set, runs `body` with it, then removes the files.
    public static func withGenerated<T: Sendable>(_ body: (TestCertificates) async throws -> T) async throws -> T {
        // A score of openssl runs: off the pool.
        let certificates = try await ExternalTool.offPool { try TestCertificates() }
        defer { certificates.remove() }
        return try await body(certificates)
    }

    /// Removes the files.
    public func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The `openssl` invocations. Leaf certificates go through `openssl ca`, the one subcommand of OpenSSL 3.0
    /// that takes validity dates in the past (`x509 -days` cannot be negative).
    private struct Generator {
        let directory: URL

        /// The certificate extensions of every kind of leaf, as `openssl ca -extensions` sections.
        static let extensionSections = """
            [server_localhost]
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature
            extendedKeyUsage = serverAuth
            subjectAltName = IP:127.0.0.1, DNS:localhost

            [server_wrong_host]
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature
            extendedKeyUsage = serverAuth
            subjectAltName = DNS:wrong.example

            [client]
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature
            extendedKeyUsage = clientAuth
            """

        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

        /// A self-signed CA `name.pem` / `name.key`, and the `openssl ca` configuration and database to sign
        /// with it. Returns the certificate's path.
        func authority(_ name: String, subject: String) throws -> String {
            try openssl(
                "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "\(name).key", "-out", "\(name).pem", "-days", "2", "-subj", "/CN=\(subject)",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
            let database = "\(name)-db"
            try FileManager.default.createDirectory(atPath: path(database), withIntermediateDirectories: true)
            try Data().write(to: URL(fileURLWithPath: path("\(database)/index.txt")))
            try "01\n".write(toFile: path("\(database)/serial"), atomically: true, encoding: .utf8)
            let configuration = """
                [ca]
                default_ca = signing

                [signing]
                database = \(path("\(database)/index.txt"))
                new_certs_dir = \(path(database))
                serial = \(path("\(database)/serial"))
                certificate = \(path("\(name).pem"))
                private_key = \(path("\(name).key"))
                default_md = sha256
                default_days = 2
                policy = any_subject
                unique_subject = no
                copy_extensions = none

                [any_subject]
                commonName = supplied

                \(Self.extensionSections)

                """
            try configuration.write(toFile: path("\(name).cnf"), atomically: true, encoding: .utf8)
            return path("\(name).pem")
        }

        /// A key and a certificate for `name`, signed by the CA `authority` with the extension section
        /// `extensions`; `validity` overrides the default two days from now.
        func leaf(
            _ name: String, signedBy authority: String, extensions: String, validity: [String] = []
        ) throws -> TestCertificate {
            try openssl(
                "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(name)")
            try openssl(
                [
                    "ca", "-batch", "-notext", "-config", "\(authority).cnf", "-extensions", extensions,
                    "-in", "\(name).csr", "-out", "\(name).pem",
                ] + validity)
            return TestCertificate(certificateFile: path("\(name).pem"), keyFile: path("\(name).key"))
        }

        func openssl(_ arguments: String...) throws { try openssl(arguments) }

        func openssl(_ arguments: [String]) throws {
            try ExternalTool.run("openssl", arguments, in: directory)
        }
    }
}
