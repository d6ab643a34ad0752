import IntercomTriggers
import Testing

/// `[store] url = "postgresql://…"` (#16): what is read from it, and what is refused with a reason.
@Suite struct PostgresStoreLocationTests {
    @Test func aFullURL() throws {
        let location = try PostgresStoreLocation(
            url:
                "postgresql://trig%40gers:p%3Ass@db.example.com:6432/intercom?sslmode=verify-full&sslrootcert=/etc/ca.pem"
        )
        #expect(location.user == "trig@gers")
        #expect(location.password == "p:ss")
        #expect(location.host == "db.example.com")
        #expect(location.port == 6432)
        #expect(location.database == "intercom")
        #expect(location.tls == .verifyFull)
        #expect(location.rootCertificate == "/etc/ca.pem")
        #expect(location.socketDirectory == nil)
        #expect(location.redacted == "postgresql://trig@gers@db.example.com:6432/intercom")
        #expect(!location.redacted.contains("p:ss"))
    }

    @Test func defaultsAndASocket() throws {
        let tcp = try PostgresStoreLocation(url: "postgres://triggerd@localhost/state")
        #expect(tcp.port == 5432)
        #expect(tcp.tls == .prefer)
        #expect(tcp.password == nil)
        let socket = try PostgresStoreLocation(url: "postgresql://triggerd@/state?host=/run/postgresql")
        #expect(socket.host == nil)
        #expect(socket.socketDirectory == "/run/postgresql")
    }

    @Test(arguments: [
        ("sqlite:///var/lib/state.sqlite", "not a postgresql:// URL"),
        ("postgresql://db.example.com/state", "names no user"),
        ("postgresql://u@db.example.com", "names no database"),
        ("postgresql://u@db.example.com/", "names no database"),
        ("postgresql://u@/state", "names no host"),
        ("postgresql://u@h:0/state", "out of range"),
        ("postgresql://u@h/state?sslmode=maybe", "sslmode 'maybe' is not one of disable, prefer, require"),
        ("postgresql://u@h/state?host=relative", "unix socket"),
        ("postgresql://u@h/state?application_name=x", "unknown URL parameter 'application_name'"),
    ])
    func refusals(url: String, reason: String) {
        #expect {
            _ = try PostgresStoreLocation(url: url)
        } throws: { error in
            String(describing: error).contains(reason)
        }
    }
}
