import Foundation
import Testing

@testable import IntercomTriggers

/// `[store]`: a SQLite file (`path`) or a PostgreSQL database (`url`, #16), and where the database's password comes
/// from.
@Suite struct ConfigStoreTests {
    static let url = "postgresql://triggerd@db.example.com:5432/intercom?sslmode=verify-full"

    @Test func aURLSelectsThePostgreSQLStore() throws {
        try ConfigFixture.with { fixture in
            let configuration = try fixture.parse("[store]\nurl = \"\(Self.url)\"\n")
            let location = try #require(configuration.store.postgres)
            #expect(location.host == "db.example.com")
            #expect(location.tls == .verifyFull)
            #expect(location.password == nil)
            #expect(configuration.store.lease == .seconds(30))
            #expect(try fixture.parse("[store]\nurl = \"\(Self.url)\"\nlease = \"12s\"\n").store.lease == .seconds(12))
            #expect(configuration.store.location == .postgres(location))
            #expect(configuration.store.displayName == "postgresql://triggerd@db.example.com:5432/intercom")
            // check-config shows the URL without a password.
            #expect(configuration.render().contains("url = \"postgresql://triggerd@db.example.com:5432/intercom\""))
        }
    }

    @Test func withoutAURLTheStoreIsTheSQLiteFile() throws {
        try ConfigFixture.with { fixture in
            let configuration = try fixture.parse("[store]\npath = \"{dir}/state.sqlite\"\n")
            #expect(configuration.store.postgres == nil)
            #expect(configuration.store.location == .sqlite(path: "\(fixture.directory)/state.sqlite"))
        }
    }

    /// Which password wins: the URL's, then password_file, then $PGPASSWORD, then the credential store-password.
    @Test(arguments: [
        (true, true, true, "from-file"), (false, true, true, "from-env"), (false, false, true, "from-credential"),
        (false, false, false, nil),
    ])
    func passwordSources(file: Bool, environment: Bool, credential: Bool, expected: String?) throws {
        try ConfigFixture.with { fixture in
            try fixture.write("store-password", "from-file\n")
            let credentials = "\(fixture.directory)/credentials"
            try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
            if credential { try fixture.write("credentials/store-password", "from-credential\n") }
            var text = "[store]\nurl = \"\(Self.url)\"\n"
            if file { text += "password_file = \"{dir}/store-password\"\n" }
            var variables = ["INTERCOM_ACCESS_TOKEN": ConfigFixture.token, "CREDENTIALS_DIRECTORY": credentials]
            if environment { variables["PGPASSWORD"] = "from-env" }
            let configuration = try fixture.parse(text, environment: variables)
            #expect(configuration.store.postgres?.password == expected)
        }
    }

    @Test func aPasswordInTheURLIsUsedAndCountsAsAnInlineSecret() throws {
        try ConfigFixture.with { fixture in
            let configuration = try fixture.parse("[store]\nurl = \"postgresql://u:s3cret@db/intercom\"\n")
            #expect(configuration.store.postgres?.password == "s3cret")
            #expect(!configuration.store.displayName.contains("s3cret"))
        }
    }

    @Test(arguments: [
        ("[store]\npath = \"/x.sqlite\"\nurl = \"\(url)\"\n", 3, "both path"),
        ("[store]\nurl = \"mysql://u@h/d\"\n", 2, "not a postgresql:// URL"),
        ("[store]\nurl = \"postgresql://u@h/d?sslmode=sometimes\"\n", 2, "sslmode 'sometimes'"),
        ("[store]\npassword_file = \"/x\"\n", 2, "url is not set"),
        ("[store]\nurl = \"postgresql://u:p@h/d\"\npassword_file = \"{dir}/store-password\"\n", 3, "a password in url"),
        ("[store]\nurl = \"\(url)\"\npassword_file = \"{dir}/missing\"\n", 3, "missing"),
        ("[store]\nurl = \"\(url)\"\nlease = \"1s\"\n", 3, "between 3s and 10m"),
        ("[store]\npath = \"/x.sqlite\"\nlease = \"10s\"\n", 3, "lease is for a PostgreSQL store"),
    ])
    func refusals(text: String, line: Int, problem: String) throws {
        try ConfigFixture.with { fixture in
            try fixture.write("store-password", "pw\n")
            let refusal = try #require(fixture.refusal(text))
            #expect(refusal.line == line, "\(refusal)")
            #expect(refusal.description.contains(problem), "\(refusal)")
        }
    }

    @Test func movingTheStoreNeedsARestartAndKeepsTheRunningOne() throws {
        try ConfigFixture.with { fixture in
            let postgres = try fixture.parse("[store]\nurl = \"\(Self.url)\"\n")
            let file = try fixture.parse("[store]\npath = \"{dir}/s.sqlite\"\n")
            let plan = ReloadPlan.between(postgres, file)
            #expect(plan.needsRestart.contains("[store] (postgresql://triggerd@db.example.com:5432/intercom is kept)"))
        }
    }
}
