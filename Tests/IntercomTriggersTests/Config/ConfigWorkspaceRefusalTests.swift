import Foundation
import Testing

@testable import IntercomTriggers

/// A workspace configuration the daemon must refuse: the configuration file, the files of `workspaces.d`, which
/// file the error must name (nil: the configuration file) and on which line, and words of the problem and fix.
struct WorkspaceRefusal: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    var files: [String: String] = [:]
    var inFile: String?
    var line: Int
    var problem: String
    var fix = ""

    var testDescription: String { name }
}

/// Every refusal of `[[workspace]]`, `workspaces_dir` and destinations' `workspaces`: each names the file, the
/// line and a fix.
@Suite struct ConfigWorkspaceRefusalTests {
    static let dir = "workspaces_dir = \"workspaces.d\"\n"
    static let acme = "[[workspace]]\nname = \"acme\"\n"
    static let two = acme + "[[workspace]]\nname = \"globex\"\n"

    static let cases: [WorkspaceRefusal] = [
        // Names.
        WorkspaceRefusal(
            name: "a table without a name", text: "[[workspace]]\nregion = \"eu\"\n", line: 1, problem: "has no name"),
        WorkspaceRefusal(
            name: "an upper-case name", text: "[[workspace]]\nname = \"Acme\"\n", line: 2,
            problem: "\"Acme\" is not a workspace name", fix: "lower-case letters"),
        WorkspaceRefusal(
            name: "a name starting with a dash", text: "\n[[workspace]]\nname = \"-acme\"\n", line: 3,
            problem: "not a workspace name"),
        WorkspaceRefusal(
            name: "a name with a dot", text: "[[workspace]]\nname = \"acme.eu\"\n", line: 2,
            problem: "not a workspace name"),
        WorkspaceRefusal(
            name: "a 64-letter name", text: "[[workspace]]\nname = \"\(String(repeating: "a", count: 64))\"\n",
            line: 2, problem: "not a workspace name"),
        WorkspaceRefusal(
            name: "a name that is not a string", text: "[[workspace]]\nname = 3\n", line: 2, problem: "must be a string"
        ),
        WorkspaceRefusal(
            name: "two tables with one name", text: two + "\n[[workspace]]\nname = \"acme\"\n", line: 7,
            problem: "\"acme\" is used twice (also on line 2)"),
        WorkspaceRefusal(
            name: "a table and a file with one name", text: dir + "\n" + acme,
            files: ["acme.toml": "name = \"acme\"\n"],
            inFile: "acme.toml", line: 1, problem: "defined twice: by this file and by the [[workspace]] on",
            fix: "remove this file, or that [[workspace]] table"),
        WorkspaceRefusal(
            name: "a table and a file without a name line", text: dir + acme,
            files: ["acme.toml": "region = \"eu\"\n"], inFile: "acme.toml", line: 0, problem: "defined twice"),
        WorkspaceRefusal(
            name: "a file name that is not a workspace name", text: dir, files: ["Acme.toml": ""], inFile: "Acme.toml",
            line: 0, problem: "Acme.toml does not make a workspace name", fix: "rename the file"),
        WorkspaceRefusal(
            name: "a name that is not the file's", text: dir, files: ["acme.toml": "# acme\nname = \"globex\"\n"],
            inFile: "acme.toml", line: 2, problem: "is not the file's name, acme", fix: "globex.toml"),

        // The directory.
        WorkspaceRefusal(
            name: "a missing workspaces_dir", text: "# many\nworkspaces_dir = \"nowhere.d\"\n", line: 2,
            problem: "does not exist", fix: "mkdir"),
        WorkspaceRefusal(
            name: "workspaces_dir is a file", text: "workspaces_dir = \"t\"\n", line: 1,
            problem: "Not a directory"),
        WorkspaceRefusal(
            name: "an empty workspaces_dir and no table", text: dir, files: ["notes.txt": "x"], line: 1,
            problem: "no workspace to serve"),
        WorkspaceRefusal(
            name: "an empty workspaces_dir path", text: "workspaces_dir = \"\"\n", line: 1, problem: "empty"),
        WorkspaceRefusal(
            name: "workspaces_dir not a string", text: "workspaces_dir = 3\n", line: 1, problem: "must be a string",
            fix: "workspaces_dir = \"/etc/intercom-triggerd/workspaces.d\""),
        WorkspaceRefusal(
            name: "workspaces_dir under a table", text: "[intercom]\nworkspaces_dir = \"w\"\n", line: 2,
            problem: "unknown key `workspaces_dir` in [intercom]", fix: "above the first table header"),
        WorkspaceRefusal(
            name: "a misspelt workspaces_dir", text: "workspace_dir = \"w\"\n", line: 1, problem: "unknown key",
            fix: "did you mean `workspaces_dir`?"),
        WorkspaceRefusal(
            name: "a workspace file that is a directory", text: dir, files: ["acme.toml/x": ""], inFile: "acme.toml",
            line: 0, problem: "not a regular file"),
        WorkspaceRefusal(
            name: "a workspace file too large", text: dir,
            files: ["acme.toml": "# " + String(repeating: "x", count: 70_000) + "\n"], inFile: "acme.toml", line: 0,
            problem: "larger than 65536 bytes"),
        WorkspaceRefusal(
            name: "a workspace file that is not TOML", text: dir, files: ["acme.toml": "region = \"eu\"\ntopics = [\n"],
            inFile: "acme.toml", line: 2, problem: "not valid TOML"),

        // Keys and types.
        WorkspaceRefusal(
            name: "an unknown key in a table", text: acme + "topic = []\n", line: 3, problem: "unknown key `topic`",
            fix: "did you mean `topics`?"),
        WorkspaceRefusal(
            name: "ca_file in a workspace", text: acme + "ca_file = \"ca.pem\"\n", line: 3, problem: "`ca_file`",
            fix: "move it under [intercom]"),
        WorkspaceRefusal(
            name: "an unknown key in a file", text: dir,
            files: ["acme.toml": "region = \"eu\"\n\nintervall = \"1m\"\n"],
            inFile: "acme.toml", line: 3, problem: "unknown key `intervall` in the workspace file acme.toml",
            fix: "did you mean `interval`?"),
        WorkspaceRefusal(
            name: "a table in a file", text: dir, files: ["acme.toml": "\n[intercom]\nregion = \"eu\"\n"],
            inFile: "acme.toml", line: 2, problem: "has a table (intercom)"),
        WorkspaceRefusal(
            name: "a [[workspace]] in a file", text: dir, files: ["acme.toml": "[[workspace]]\nname = \"acme\"\n"],
            inFile: "acme.toml", line: 1, problem: "has a table (workspace)"),
        WorkspaceRefusal(
            name: "a single [workspace]", text: "[workspace]\nname = \"acme\"\n", line: 1, problem: "array of tables"),
        WorkspaceRefusal(
            name: "topics not an array in a workspace", text: acme + "topics = \"contact.lead.created\"\n", line: 3,
            problem: "an array of strings"),
        WorkspaceRefusal(
            name: "an integer interval in a file", text: dir, files: ["acme.toml": "interval = 120\n"],
            inFile: "acme.toml", line: 1, problem: "must be a duration", fix: "write interval = \"120s\""),
        WorkspaceRefusal(
            name: "a string rate ceiling", text: acme + "max_requests_per_minute = \"100\"\n", line: 3,
            problem: "an integer"),
        WorkspaceRefusal(
            name: "a zero rate ceiling", text: acme + "max_requests_per_minute = 0\n", line: 3, problem: "outside"),
        WorkspaceRefusal(
            name: "an unknown region in a workspace", text: acme + "region = \"de\"\n", line: 3,
            problem: "unknown region \"de\" in [[workspace]] \"acme\""),
        WorkspaceRefusal(
            name: "plain http base_url in a workspace", text: acme + "base_url = \"http://api.example.com\"\n", line: 3,
            problem: "plain http"),
        WorkspaceRefusal(
            name: "an unknown topic in a workspace", text: acme + "topics = [\"contact.usr.created\"]\n", line: 3,
            problem: "unknown topic", fix: "did you mean \"contact.user.created\"?"),
        WorkspaceRefusal(
            name: "a start in the future in a file", text: dir,
            files: ["acme.toml": "start = \"2999-01-01T00:00:00Z\"\n"], inFile: "acme.toml", line: 1,
            problem: "later than now"),
        WorkspaceRefusal(
            name: "a sub-second interval", text: acme + "interval = \"100ms\"\n", line: 3,
            problem: "`interval` in [[workspace]] \"acme\" is shorter than a second"),
        WorkspaceRefusal(
            name: "ignore_fields twice", text: acme + "ignore_fields = [\"os\", \"os\"]\n", line: 3, problem: "twice"),

        // Tokens.
        WorkspaceRefusal(
            name: "a token in [intercom] with tables",
            text: "[intercom]\nregion = \"eu\"\naccess_token = \"x\"\n" + acme,
            line: 3, problem: "[intercom] sets access_token, but the file defines workspaces",
            fix: "intercom-token-NAME"),
        WorkspaceRefusal(
            name: "a token file in [intercom] with workspaces_dir",
            text: dir + "[intercom]\naccess_token_file = \"t\"\n", files: ["acme.toml": ""], line: 3,
            problem: "[intercom] sets access_token_file"),
        WorkspaceRefusal(
            name: "no token for a table", text: "[[workspace]]\nname = \"nocred\"\n", line: 2,
            problem: "no Intercom access token for the workspace \"nocred\""),
        WorkspaceRefusal(
            name: "no token for a file", text: dir, files: ["nocred.toml": "region = \"eu\"\n"], inFile: "nocred.toml",
            line: 0, problem: "no Intercom access token for the workspace \"nocred\"",
            fix: "LoadCredential=intercom-token-nocred:"),
        WorkspaceRefusal(
            name: "an unreadable token file in a file", text: dir,
            files: ["acme.toml": "\naccess_token_file = \"x\"\n"],
            inFile: "acme.toml", line: 2, problem: "cannot read the secret file"),
        WorkspaceRefusal(
            name: "both token keys in a workspace", text: acme + "access_token = \"a\"\naccess_token_file = \"t\"\n",
            line: 4, problem: "[[workspace]] \"acme\" sets both access_token and access_token_file"),
        WorkspaceRefusal(
            name: "a token with a space", text: acme + "access_token = \"a b\"\n", line: 3,
            problem: "the Intercom access token of the workspace \"acme\" (written inline) contains whitespace"),

        // Destinations.
        WorkspaceRefusal(
            name: "an unknown destination workspace",
            text: two + "[[destination]]\nname = \"d\"\nstdout = true\nworkspaces = [\n  \"acme\",\n  \"globx\",\n]\n",
            line: 10, problem: "unknown workspace \"globx\" in [[destination]] \"d\"",
            fix: "did you mean \"globex\"? known workspaces: acme, globex"),
        WorkspaceRefusal(
            name: "a workspace unknown in the single form",
            text: "[[destination]]\nname = \"d\"\nstdout = true\nworkspaces = [\"acme\"]\n", line: 4,
            problem: "unknown workspace \"acme\"", fix: "known workspaces: default"),
        WorkspaceRefusal(
            name: "no destination workspaces",
            text: two + "[[destination]]\nname = \"d\"\nstdout = true\nworkspaces = []\n",
            line: 8, problem: "`workspaces` in [[destination]] \"d\" is empty"),
        WorkspaceRefusal(
            name: "a destination workspace twice",
            text: two + "[[destination]]\nname = \"d\"\nstdout = true\nworkspaces = [\"acme\", \"acme\"]\n", line: 8,
            problem: "listed twice"),
        WorkspaceRefusal(
            name: "destination workspaces not an array",
            text: two + "[[destination]]\nname = \"d\"\nstdout = true\nworkspaces = \"acme\"\n", line: 8,
            problem: "an array of strings"),
        WorkspaceRefusal(
            name: "a destination topic none of its workspaces polls",
            text: "[triggers]\ntopics = [\"contact.lead.created\"]\n" + two + "topics = [\"contact.user.created\"]\n"
                + "[[destination]]\nname = \"d\"\nstdout = true\nworkspaces = [\"acme\"]\ntopics = [\"contact.user.created\"]\n",
            line: 12, problem: "not enabled in the topics of its workspaces (acme)"),
        WorkspaceRefusal(
            name: "a destination topic no workspace polls",
            text: two + "[[destination]]\nname = \"d\"\nstdout = true\ntopics = [\"contact.lead.updated\"]\n", line: 8,
            problem: "not enabled in the topics of any workspace"),
    ]

    @Test(arguments: cases)
    func refused(_ refusal: WorkspaceRefusal) throws {
        try ConfigFixture.with { fixture in
            try fixture.write("t", "token\n")
            for (name, contents) in refusal.files {
                if name.hasSuffix("/x") {
                    let directory = "\(fixture.workspacesDirectory)/\(name.dropLast(2))"
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                } else {
                    try fixture.writeWorkspace(name, contents)
                }
            }
            guard let error = fixture.refusal(refusal.text, environment: try fixture.workspaceEnvironment()) else {
                Issue.record("accepted: \(refusal.name)")
                return
            }
            let file = refusal.inFile.map { "\(fixture.workspacesDirectory)/\($0)" } ?? fixture.file
            #expect(error.file == file, "\(error)")
            #expect(error.line == refusal.line, "\(error)")
            #expect(error.problem.contains(refusal.problem), "\(error)")
            #expect(!error.fix.isEmpty)
            #expect(refusal.fix.isEmpty || error.fix.contains(refusal.fix), "\(error)")
            #expect(!error.description.contains("\n"))
            // No token of the case leaks into the message.
            #expect(!error.description.contains("tok_"))
        }
    }

    @Test func manyUnknownNamesAreShortenedInTheFix() throws {
        try ConfigFixture.with { fixture in
            let tables = (0..<30).map { "[[workspace]]\nname = \"w\($0)\"\naccess_token = \"t\($0)\"\n" }.joined()
            let error = fixture.refusal(
                tables + "[[destination]]\nname = \"d\"\nstdout = true\nworkspaces = [\"nope\"]\n")
            #expect(error?.fix.hasSuffix(", … (30 in all)") == true)
        }
    }
}
