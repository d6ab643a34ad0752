/// The keys `daemon.conf` accepts, per table, each with an example value used in fixes.
enum ConfigSchema {
    /// The tables, in the order of DESIGN §9; `destination` is an array of tables.
    static let sections: [(name: String, keys: [(key: String, example: String)])] = [
        (
            "intercom",
            [
                ("access_token_file", #""/etc/intercom-triggerd/token""#), ("access_token", #""…""#),
                ("region", #""us""#), ("base_url", #""https://api.intercom.io""#), ("api_version", #""2.16""#),
                ("max_requests_per_minute", "1000"), ("ca_file", #""/etc/intercom-triggerd/ca.pem""#),
                ("proxy", #""http://proxy.example.com:3128""#),
            ]
        ),
        ("poll", [("interval", #""120s""#), ("lookback", #""10m""#), ("concurrency", "16")]),
        (
            "store",
            [
                ("path", #""/var/lib/intercom-triggerd/state.sqlite""#),
                ("url", #""postgresql://triggerd@db.example.com:5432/intercom?sslmode=verify-full""#),
                ("password_file", #""/etc/intercom-triggerd/store-password""#), ("lease", #""30s""#),
            ]
        ),
        (
            "triggers",
            [
                ("topics", #"["contact.lead.created", "contact.user.created"]"#), ("start", #""now""#),
                ("ignore_fields", #"["updated_at", "last_seen_at"]"#),
            ]
        ),
        // One workspace: a [[workspace]] table, or the top level of a file in workspaces_dir.
        (
            "workspace",
            [
                ("name", #""acme""#), ("access_token_file", #""/etc/intercom-triggerd/tokens/acme""#),
                ("access_token", #""…""#), ("region", #""us""#), ("base_url", #""https://api.intercom.io""#),
                ("api_version", #""2.16""#), ("max_requests_per_minute", "1000"),
                ("topics", #"["contact.lead.created", "contact.user.created"]"#), ("start", #""now""#),
                ("ignore_fields", #"["updated_at", "last_seen_at"]"#), ("interval", #""120s""#),
                ("lookback", #""10m""#),
            ]
        ),
        (
            "destination",
            [
                ("name", #""crm""#), ("url", #""https://hooks.example.com/intercom""#), ("stdout", "true"),
                ("secret", #""whsec_…""#), ("secret_file", #""/etc/intercom-triggerd/crm.secret""#),
                ("previous_secret", #""whsec_…""#), ("previous_secret_file", #""/etc/intercom-triggerd/crm.old""#),
                ("intercom_client_secret", #""…""#),
                ("intercom_client_secret_file", #""/etc/intercom-triggerd/client-secret""#), ("unsigned", "false"),
                ("topics", #"["contact.lead.created"]"#), ("timeout", #""15s""#), ("concurrency", "4"),
                ("ordered", "false"), ("retry_schedule", #"["5s", "5m", "30m", "2h", "5h", "10h", "10h"]"#),
                ("ca_file", #""/etc/intercom-triggerd/ca.pem""#),
                ("client_certificate_file", #""/etc/intercom-triggerd/crm.crt""#),
                ("client_key_file", #""/etc/intercom-triggerd/crm.key""#),
                ("proxy", #""http://proxy.example.com:3128""#),
                ("format", #""intercom""#), ("workspaces", #"["acme", "globex"]"#),
            ]
        ),
        // A table nested in each [[destination]]: its name in the destination is the part after the dot.
        ("destination.when", [("field", #""custom_attributes.plan""#), ("operator", #""=""#), ("value", #""pro""#)]),
        ("delivery", [("retention", #""7d""#)]),
        ("metrics", [("listen", #""127.0.0.1:9464""#)]),
        ("service", [("shutdown_timeout", #""20s""#), ("stall_limit", #""5m""#)]),
        ("log", [("level", #""info""#), ("summary_interval", #""1h""#)]),
    ]

    /// The tables of the document itself (not nested in another).
    static var topLevel: [String] { sections.map(\.name).filter { !$0.contains(".") } }

    /// The keys of the document itself, written above the first table header.
    static let topLevelKeys: [(key: String, example: String)] = [
        ("workspaces_dir", #""/etc/intercom-triggerd/workspaces.d""#)
    ]

    /// The keys of `section`, and the names of the tables nested in it (`when` in `destination`).
    static func keys(of section: String) -> [String] {
        let nested = sections.map(\.name).filter { $0.hasPrefix(section + ".") }.map {
            String($0.dropFirst(section.count + 1))
        }
        return (sections.first { $0.name == section }?.keys.map(\.key) ?? []) + nested
    }

    /// An example value for `key` in `section`.
    static func example(_ key: String, in section: String) -> String {
        let keys = section.isEmpty ? topLevelKeys : sections.first { $0.name == section }?.keys ?? []
        return keys.first { $0.key == key }?.example ?? #""…""#
    }

    /// The table header that introduces `section`.
    static func header(_ section: String) -> String {
        arrays.contains(section) ? "[[\(section)]]" : "[\(section)]"
    }

    /// The sections written as arrays of tables.
    static let arrays: Set<String> = ["workspace", "destination", "destination.when"]

    /// A fix for the unknown `key` in `section` ("" for the top level): where it belongs, a near spelling, or the
    /// keys the table takes.
    static func fix(forUnknown key: String, in section: String) -> String {
        if section.isEmpty, topLevel.contains(key) {
            return "write it as a table: \(header(key))"
        }
        if !section.isEmpty, topLevelKeys.contains(where: { $0.key == key }) {
            return "move it to the top of the configuration file, above the first table header: \(key) is not "
                + "part of any table"
        }
        let homes = sections.filter { $0.name != section && $0.keys.contains { $0.key == key } }
        // A destination's key written after its first [[destination.when]] belongs to that condition.
        if section == "destination.when", homes.contains(where: { $0.name == "destination" }) {
            return "move it above the destination's first [[destination.when]]: the keys below that header "
                + "belong to the condition"
        }
        if let home = homes.first {
            return "move it under \(header(home.name))"
        }
        let known = section.isEmpty ? topLevel + topLevelKeys.map(\.key) : keys(of: section)
        if let near = nearest(key, among: known) {
            return section.isEmpty && topLevel.contains(near)
                ? "did you mean \(header(near))?" : "did you mean `\(near)`?"
        }
        return section.isEmpty
            ? "remove it; the file takes the key \(topLevelKeys.map(\.key).joined(separator: ", ")) and the tables "
                + topLevel.map(header).joined(separator: ", ")
            : "remove it; \(header(section)) takes \(known.joined(separator: ", "))"
    }

    /// The closest candidate within one edit per three letters of `word` (one at least, two at most), if any.
    static func nearest(_ word: String, among candidates: [String]) -> String? {
        let limit = min(2, max(1, word.count / 3))
        return candidates.map { ($0, distance(word, $0)) }.filter { $0.1 <= limit }.min { $0.1 < $1.1 }?.0
    }

    /// Edit distance, a swap of two neighbouring letters counting as one edit as a typing slip does (optimal
    /// string alignment): `emial` is one edit from `email`.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var beforePrevious: [Int] = []
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            beforePrevious = previous
            previous = current
        }
        return previous[b.count]
    }
}
