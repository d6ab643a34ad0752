import Foundation

/// Where a PostgreSQL store is and how to reach it: what `[store] url = "postgresql://…"` says, with the password
/// from wherever the configuration found it.
public struct PostgresStoreLocation: Sendable, Equatable {
    /// How the connection to the database is protected, after libpq's `sslmode`.
    public enum TLSMode: String, Sendable, Equatable, CaseIterable {
        /// Plain TCP (or a unix socket).
        case disable
        /// TLS when the server offers it, plain otherwise (libpq's default).
        case prefer
        /// TLS, without checking the server's certificate.
        case require
        /// TLS, with the server's certificate checked against `sslrootcert` (or the system's roots).
        case verifyCA = "verify-ca"
        /// TLS, with the certificate checked and its name matching the host.
        case verifyFull = "verify-full"
    }

    /// The server's host name or address; nil with ``socketDirectory``.
    public var host: String?
    /// The TCP port (or the socket's number).
    public var port: Int
    /// The directory of the server's unix socket (`?host=/run/postgresql`), instead of TCP.
    public var socketDirectory: String?
    /// The database role.
    public var user: String
    /// The role's password, if it needs one.
    public var password: String?
    /// The database.
    public var database: String
    /// TLS to the database.
    public var tls: TLSMode
    /// A PEM file of the certificate authorities to check the server with (`sslrootcert`).
    public var rootCertificate: String?
    /// How long the server lets a transaction of this store wait for its next statement before it ends the session
    /// (``PostgresStore/idleInTransactionTimeout``; not a setting). Only the unit tests' stores change it: their
    /// process runs hundreds of tests at once on two cores, where a transaction's next statement can wait seconds
    /// for a thread — what the limit is there to end in a daemon that stopped.
    var idleTransactionLimit: Duration = PostgresStore.idleInTransactionTimeout

    /// A location with every part given.
    public init(
        host: String?, port: Int = 5432, socketDirectory: String? = nil, user: String, password: String? = nil,
        database: String, tls: TLSMode = .prefer, rootCertificate: String? = nil
    ) {
        self.host = host
        self.port = port
        self.socketDirectory = socketDirectory
        self.user = user
        self.password = password
        self.database = database
        self.tls = tls
        self.rootCertificate = rootCertificate
    }

    /// Why a `postgresql://` URL cannot be used.
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Parses `postgresql://user[:password]@host[:port]/database[?sslmode=…&sslrootcert=…&host=/socket/dir]`
    /// (also `postgres://`). Percent-escapes are decoded in every part.
    public init(url text: String) throws {
        guard let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), ["postgresql", "postgres"].contains(scheme)
        else {
            throw Invalid(description: "not a postgresql:// URL (postgresql://user@host:5432/database)")
        }
        guard let user = components.percentEncodedUser?.removingPercentEncoding, !user.isEmpty else {
            throw Invalid(description: "the URL names no user (postgresql://USER@host:5432/database)")
        }
        let database = String(components.percentEncodedPath.dropFirst()).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else {
            throw Invalid(description: "the URL names no database (postgresql://user@host:5432/DATABASE)")
        }
        var tls = TLSMode.prefer
        var rootCertificate: String?
        var socketDirectory: String?
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    let modes = TLSMode.allCases.map(\.rawValue).joined(separator: ", ")
                    throw Invalid(description: "sslmode '\(value)' is not one of \(modes)")
                }
                tls = mode
            case "sslrootcert": rootCertificate = value
            case "host":
                guard value.hasPrefix("/") else {
                    throw Invalid(description: "?host= must be the directory of the server's unix socket")
                }
                socketDirectory = value
            default:
                throw Invalid(
                    description: "unknown URL parameter '\(item.name)' (known: sslmode, sslrootcert, host)")
            }
        }
        let host = components.percentEncodedHost?.removingPercentEncoding
        guard socketDirectory != nil || !(host ?? "").isEmpty else {
            throw Invalid(description: "the URL names no host (postgresql://user@HOST:5432/database)")
        }
        let port = components.port ?? 5432
        guard (1...65_535).contains(port) else { throw Invalid(description: "port \(port) is out of range") }
        self.init(
            host: (host ?? "").isEmpty ? nil : host, port: port, socketDirectory: socketDirectory, user: user,
            password: components.percentEncodedPassword?.removingPercentEncoding, database: database, tls: tls,
            rootCertificate: rootCertificate)
    }

    /// The URL without its password: what logs and `status` show.
    public var redacted: String {
        let place = socketDirectory.map { "?host=\($0)" } ?? ""
        return "postgresql://\(user)@\(host ?? ""):\(port)/\(database)\(place)"
    }
}
