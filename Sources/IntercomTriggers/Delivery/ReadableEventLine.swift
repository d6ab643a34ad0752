import Foundation

/// One event as one line a person reads on a terminal (`demo`), instead of its 2 kB of JSON:
///
///     14:02:14  contact.user.updated       Ada Lovelace <ada.3@example.com> (69298d2b1bb69f9f00000003)  plan: free → pro
///
/// The time (`HH:MM:SS` of the event's version, the moment it happened in Intercom, in ``timeZone``), the topic
/// padded to a column, who (a contact's name and email, a conversation's author, else its title; the item id
/// alone when there is none), the item id, and what the event is about: for an update its `changes` (at most
/// ``maximumChanges``; a custom attribute by its own name unless the contact has a top-level attribute of that
/// name), a marker when there was no earlier version to compare with, and for a conversation its first words.
/// Values are shown as their JSON text except strings, which lose their quotes unless empty; `—` is a side where the
/// attribute is absent. Every value is cut at ``maximumValueLength`` characters, and every control, bidi or line
/// separator character from the item (remote, hostile text) is written out visibly, so a line is one line and
/// cannot drive the terminal.
public struct ReadableEventLine: Sendable, Equatable {
    /// The zone of the time column.
    public var timeZone: TimeZone
    /// Whether the line carries ANSI colours.
    public var colour: Bool
    /// Workspace names by app id: when set (a daemon serving several), each line names the event's workspace after
    /// the time.
    public var workspaceNames: [String: String] = [:]

    /// Longest value, name or path shown, in characters (longer ones end in `…`).
    public static let maximumValueLength = 40
    /// Changes listed on one line; the rest are counted (`+3 more`).
    public static let maximumChanges = 4
    /// Shown for an update whose event has no `changes` (no earlier version was seen).
    public static let noEarlierVersion = "(first sighting: no earlier version to compare)"

    /// Creates a renderer for the local time zone (or `timeZone`), with or without colours.
    public init(timeZone: TimeZone = .current, colour: Bool = false) {
        self.timeZone = timeZone
        self.colour = colour
    }

    /// How `demo` prints events: this renderer (coloured unless `NO_COLOR` is set or `TERM` is `dumb`) when
    /// standard output is a terminal and `--json` was not given; `nil` for the JSON lines of every other command.
    public static func forDemo(
        json: Bool, isTerminal: Bool, environment: [String: String], timeZone: TimeZone = .current
    ) -> ReadableEventLine? {
        guard isTerminal, !json else { return nil }
        // no-color.org: set and not empty disables colour, whatever its value.
        let colour = (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
        return ReadableEventLine(timeZone: timeZone, colour: colour)
    }

    /// The line for `event`, without a line break.
    public func render(_ event: StoredEvent) -> String {
        let item = Item(event.item)
        let id = Self.clean(event.itemID)
        var line = lead(
            at: event.version, topic: event.topic, colour: Self.colourCode(event.topic),
            workspace: event.workspaceID.map { workspaceNames[$0] ?? $0 })
        let isConversation = event.topic.hasPrefix("conversation.")
        let who = isConversation ? item.conversationAuthor : item.contactName
        line += who.map { "\($0) (\(id))" } ?? id
        var details: String?
        if isConversation {
            details = item.conversationText.map { "\"\($0)\"" }
        } else if TopicCatalog.changeTopics.contains(event.topic) {
            details = changes(event.changes, item: item) ?? paint(Self.noEarlierVersion, "2")
        }
        if let details { line += "  " + details }
        return line
    }

    /// The line saying that `count` updates of `topic` in `workspace` (its name) were suppressed at `time` (Unix
    /// seconds): only ignored fields had moved (`[triggers] ignore_fields`), so they fired nothing. Dimmed, like
    /// other asides.
    public func suppressed(_ count: Int, topic: String, at time: Int, workspace: String? = nil) -> String {
        let updates = count == 1 ? "1 update" : "\(count) updates"
        return lead(at: time, topic: topic, colour: nil, workspace: workspace)
            + paint("· \(updates) suppressed: only activity fields moved (ignore_fields), no event", "2")
    }

    /// The start every line shares: the dimmed time, the workspace's name padded to one column (when
    /// ``workspaceNames`` is set), then the topic padded to one column.
    private func lead(at time: Int, topic: String, colour: String?, workspace: String? = nil) -> String {
        let topic = Self.clean(topic)
        var lead = paint(Self.clock(time, in: timeZone), "2") + "  "
        if !workspaceNames.isEmpty {
            let name = Self.clean(String((workspace ?? "").prefix(Self.maximumValueLength)))
            let width = workspaceNames.values.map(\.count).max() ?? 0
            lead += paint(name, "1") + String(repeating: " ", count: max(0, width - name.count)) + "  "
        }
        return lead + paint(topic, colour) + String(repeating: " ", count: max(0, 25 - topic.count)) + "  "
    }

    /// `plan: free → pro, email: "" → ada@example.com`, or nil when there are none to show.
    private func changes(_ json: Data?, item: Item) -> String? {
        guard let json, !json.isEmpty else { return nil }
        let scanner = JSONScanner(json)
        guard let root = try? scanner.validate(), let members = scanner.objectMembers(at: root) else {
            return "(changes unreadable)"
        }
        guard !members.isEmpty else { return nil }
        var parts: [String] = []
        for (path, sides) in members.prefix(Self.maximumChanges) {
            let sideMembers = scanner.objectMembers(at: sides) ?? []
            let previous = JSONScanner.value("previous", in: sideMembers).map { Self.show(scanner, $0) } ?? "—"
            let current = JSONScanner.value("current", in: sideMembers).map { Self.show(scanner, $0) } ?? "—"
            parts.append("\(paint(label(path, item: item), "1")): \(previous) → \(current)")
        }
        if members.count > Self.maximumChanges { parts.append("+\(members.count - Self.maximumChanges) more") }
        return parts.joined(separator: ", ")
    }

    /// A custom attribute by its own name (`plan`), unless that would read as a top-level attribute of the item.
    private func label(_ path: String, item: Item) -> String {
        let prefix = "custom_attributes."
        if path.hasPrefix(prefix) {
            let name = String(path.dropFirst(prefix.count))
            let head = String(name.prefix { $0 != "." })
            if !item.topLevelKeys.contains(head) { return Self.cut(Self.clean(name)) }
        }
        return Self.cut(Self.clean(path))
    }

    private func paint(_ text: String, _ code: String?) -> String {
        guard colour, let code else { return text }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    /// Green for a creation, yellow for an update, cyan for a conversation, magenta for a sign-up.
    private static func colourCode(_ topic: String) -> String? {
        if topic.hasPrefix("conversation.") { return "36" }
        if topic.hasSuffix(".created") { return "32" }
        if topic.hasSuffix(".updated") { return "33" }
        if topic.hasSuffix(".signed_up") { return "35" }
        return nil
    }

    /// `HH:MM:SS` of Unix time `seconds` in `zone`; any `Int` (a hostile version too) gives a time.
    static func clock(_ seconds: Int, in zone: TimeZone) -> String {
        let day = 86_400
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))
        // Remainders first: `seconds + offset` could overflow at the ends of `Int`.
        let time = ((seconds % day) + (offset % day) + 2 * day) % day
        let parts = [time / 3600, time / 60 % 60, time % 60]
        return parts.map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
    }

    /// A value as shown: a string's text (quoted only when empty), anything else its compact JSON.
    private static func show(_ scanner: JSONScanner, _ range: Range<Int>) -> String {
        if scanner.bytes[range.lowerBound] == UInt8(ascii: "\""), let text = try? scanner.unescapedString(in: range) {
            return text.isEmpty ? "\"\"" : cut(clean(text))
        }
        return cut(clean(String(decoding: JSONLayout.compact(scanner.slice(range)), as: UTF8.self)))
    }

    /// Remote text made harmless on a terminal: control, bidi and separator characters written out.
    static func clean(_ text: String) -> String { text.escapingControlCharacters }

    /// `text` cut to ``maximumValueLength`` characters, `…` marking the cut.
    static func cut(_ text: String) -> String {
        guard text.count > maximumValueLength else { return text }
        return text.prefix(maximumValueLength - 1) + "…"
    }

    /// The few members of an item the line shows, read without decoding the whole item.
    struct Item {
        private let scanner: JSONScanner
        private let members: [(key: String, value: Range<Int>)]

        init(_ data: Data) {
            let scanner = JSONScanner(data)
            let root = try? scanner.validate()
            self.scanner = scanner
            members = root.flatMap { scanner.objectMembers(at: $0) } ?? []
        }

        var topLevelKeys: Set<String> { Set(members.map(\.key)) }

        /// `Ada Lovelace <ada@example.com>`, either part alone, or nil.
        var contactName: String? { person(members) }

        /// The author of the conversation's first message, else its title.
        var conversationAuthor: String? {
            let author = member(["source", "author"]).flatMap { scanner.objectMembers(at: $0) }
            return author.flatMap(person)
                ?? string(["title"]).map { ReadableEventLine.cut(ReadableEventLine.clean($0)) }
        }

        /// The first words of the conversation's first message (its HTML as text), else its subject.
        var conversationText: String? {
            let html = string(["source", "body"]) ?? ""
            let text = Self.withoutTags(html).split(whereSeparator: \.isWhitespace).joined(separator: " ")
            let shown = text.isEmpty ? string(["source", "subject"]) : text
            return shown.map { ReadableEventLine.cut(ReadableEventLine.clean($0)) }
        }

        /// `html` with every tag (`<` up to the next `>`) a space; a `<` without a `>` after it stays text. In one
        /// pass: the regex `<[^>]*>` this replaced tried each `<` up to the end, and 32 KB of `<a` took 20 s.
        static func withoutTags(_ html: String) -> String {
            var text = ""
            var rest = html[...]
            while let open = rest.firstIndex(of: "<") {
                guard let close = rest[open...].firstIndex(of: ">") else { break }
                text += rest[..<open] + " "
                rest = rest[rest.index(after: close)...]
            }
            return text + rest
        }

        private func person(_ object: [(key: String, value: Range<Int>)]) -> String? {
            func text(_ key: String) -> String? {
                JSONScanner.value(key, in: object).flatMap(string(at:)).map {
                    ReadableEventLine.cut(ReadableEventLine.clean($0))
                }
            }
            switch (text("name"), text("email")) {
            case (let name?, let email?): return "\(name) <\(email)>"
            case (let name?, nil): return name
            case (nil, let email?): return email
            case (nil, nil): return nil
            }
        }

        private func member(_ path: [String]) -> Range<Int>? {
            var object = members
            var found: Range<Int>?
            for key in path {
                guard let range = JSONScanner.value(key, in: object) else { return nil }
                found = range
                object = scanner.objectMembers(at: range) ?? []
            }
            return found
        }

        private func string(_ path: [String]) -> String? { member(path).flatMap(string(at:)) }

        /// The string at `range`, unless it is empty or no string.
        private func string(at range: Range<Int>) -> String? {
            guard scanner.bytes[range.lowerBound] == UInt8(ascii: "\""),
                let value = try? scanner.unescapedString(in: range),
                !value.isEmpty
            else { return nil }
            return value
        }
    }
}
