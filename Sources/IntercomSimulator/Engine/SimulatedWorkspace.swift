import Foundation
import Synchronization

/// The in-memory Intercom workspace: records, search, cursors and index lag, answering API 2.16 requests
/// that the HTTP layer has already authenticated, version-checked and rate-limited.
public final class SimulatedWorkspace: Sendable {
    /// The configuration the workspace was created with (see `settings` for the live values).
    public let configuration: WorkspaceConfiguration
    /// The clock shared with the HTTP layer.
    public let clock: SimulatorClock
    private let state: Mutex<WorkspaceState>

    public convenience init(configuration: WorkspaceConfiguration = .init(), clock: SimulatorClock = .init()) {
        self.init(configuration: configuration, clock: clock, idSpace: 0)
    }

    /// A workspace whose ids differ from those of every other `idSpace` (a simulator's workspace number - 1).
    init(configuration: WorkspaceConfiguration, clock: SimulatorClock, idSpace: Int) {
        self.configuration = configuration
        self.clock = clock
        self.state = Mutex(WorkspaceState(settings: configuration, idSpace: idSpace))
    }

    /// Answers one authenticated, version-checked API request.
    public func handle(_ request: SimRequest) -> SimResponse {
        let parts = request.path.split(separator: "/").map(String.init)
        let now = clock.now()
        do throws(APIError) {
            let json: JSONValue = try state.withLock { (state: inout WorkspaceState) throws(APIError) -> JSONValue in
                switch parts.first {
                case "me" where parts.count == 1 && request.method == "GET": return state.me()
                case "admins": return try state.handleAdmins(request, parts)
                case "contacts": return try state.handleContacts(request, parts, now: now)
                case "conversations": return try state.handleConversations(request, parts, now: now)
                case "messages" where parts.count == 1 && request.method == "POST":
                    return try state.createAdminMessage(try WorkspaceState.object(request.body), now: now)
                case "companies": return try state.handleCompanies(request, parts, now: now)
                case "tickets": return try state.handleTickets(request, parts, now: now)
                case "ticket_types" where parts.count == 1 && request.method == "GET": return state.listTicketTypes()
                default: throw APIError.notFound("Resource Not Found")
                }
            }
            return SimResponse(status: 200, body: json.serialized())
        } catch {
            return error.response
        }
    }

    /// Answers a test-control request under `/__sim/` that concerns data. Bodies and answers are JSON:
    ///
    /// - `POST /__sim/seed {"contacts":N,"conversations":N,"companies":N,"seed"?:S}`: adds realistic records
    ///   spread over the last 30 days, searchable at once; answers the counts.
    /// - `POST /__sim/reset`: forgets every record; answers the counts.
    /// - `GET /__sim/counts`: `{"contacts","conversations","companies","tickets","searchable_contacts",
    ///   "searchable_conversations"}`.
    /// - `POST /__sim/contacts`: a body like `POST /contacts` plus optional `created_at`, `updated_at` (Unix
    ///   seconds), `index_lag` (seconds, this record only) and `corrupt` (`"updated_at"`: that field is
    ///   rendered as a string that is not a time; `"id"`: no `id` key; for good, wherever the contact is
    ///   rendered); answers the contact (as rendered).
    /// - `POST /__sim/contacts/{id}/touch {"role"?, "updated_at"?, "custom_attributes"?, "index_lag"?}`: a new
    ///   version with `updated_at` bumped to now (or `updated_at`); `role` `user` signs a lead up.
    /// - `POST /__sim/contacts/{id}/attributes {"set": {path: value, …}, "updated_at"?, "index_lag"?}`: an edit
    ///   of any attributes by dotted path (`email`, `custom_attributes.plan`, `location.city`, `tags` as tag ids,
    ///   keys the record does not model), applied in key order with `updated_at` bumped as by `touch`; `null`
    ///   removes a custom attribute. Answers the contact.
    /// - `POST /__sim/contacts/{id}/activity {"set"?: {path: value, …}, "updated_at"?, "index_lag"?}`: activity
    ///   as Intercom records it: only activity attributes (`last_seen_at`, `browser`, `os`, `location`, the
    ///   `android_*`/`ios_*` ones, …) and `updated_at` move; without `set`, `last_seen_at` becomes the new
    ///   `updated_at`. Answers the contact.
    /// - `POST /__sim/conversations {"contact_id","body","created_at"?,"index_lag"?}`: a contact-initiated
    ///   conversation; answers the conversation.
    /// - `POST /__sim/contacts/{id}/visibility {"visible_at"}` (and `/__sim/conversations/{id}/visibility`):
    ///   search sees the record's newest version only from that Unix time on.
    /// - `POST /__sim/config {"index_lag"?: seconds, "exact_second_contact_dates"?: bool}`: changes the live
    ///   settings; answers `{"index_lag","exact_second_contact_dates","timezone"}`.
    public func handleControl(_ request: SimRequest) -> SimResponse {
        var parts = request.path.split(separator: "/").map(String.init)
        if parts.first == "__sim" { parts.removeFirst() }
        let now = clock.now()
        do throws(APIError) {
            let body = try WorkspaceState.object(request.body)
            let lag = Self.number(body["index_lag"])
            let json: JSONValue = try state.withLock { (state: inout WorkspaceState) throws(APIError) -> JSONValue in
                switch (request.method, parts.count, parts.first) {
                case ("POST", 1, "seed"):
                    state.seed(
                        contacts: body["contacts"]?.intValue ?? 0, conversations: body["conversations"]?.intValue ?? 0,
                        companies: body["companies"]?.intValue ?? 0, seed: UInt64(body["seed"]?.intValue ?? 42),
                        now: now)
                    return Self.counts(state).json()
                case ("POST", 1, "reset"):
                    state = state.emptied
                    return Self.counts(state).json()
                case ("GET", 1, "counts"):
                    state.contacts.catchUp(now: now)
                    state.conversations.catchUp(now: now)
                    return Self.counts(state).json()
                case ("POST", 1, "contacts"):
                    var corruption: ContactRecord.Corruption?
                    if let value = body["corrupt"], !value.isNull {
                        guard let name = value.stringValue, let parsed = ContactRecord.Corruption(rawValue: name) else {
                            throw APIError(
                                code: "parameter_invalid", message: "corrupt must be one of: updated_at, id",
                                field: "corrupt")
                        }
                        corruption = parsed
                    }
                    let contact = try state.createContact(
                        WorkspaceState.ContactFields(json: body), createdAt: body["created_at"]?.intValue,
                        updatedAt: body["updated_at"]?.intValue, now: now, lag: lag, corruption: corruption)
                    return contact.json(workspaceID: state.settings.workspaceID)
                case ("POST", 3, "contacts") where parts[2] == "touch":
                    let fields = try WorkspaceState.ContactFields(json: body)
                    let contact = try state.updateContact(
                        id: parts[1], fields, updatedAt: body["updated_at"]?.intValue, now: now, lag: lag)
                    return contact.json(workspaceID: state.settings.workspaceID)
                case ("POST", 3, "contacts") where parts[2] == "attributes" || parts[2] == "activity":
                    guard let set = body["set"]?.objectValue ?? (parts[2] == "activity" ? JSONObject() : nil) else {
                        throw APIError(code: "parameter_invalid", message: "set must be an object", field: "set")
                    }
                    let contact = try state.editContact(
                        id: parts[1], set.pairs.map { ($0.key, $0.value) }, activityOnly: parts[2] == "activity",
                        updatedAt: body["updated_at"]?.intValue, now: now, lag: lag)
                    return contact.json(workspaceID: state.settings.workspaceID)
                case ("POST", 1, "conversations"):
                    guard let contactID = body["contact_id"]?.stringValue, let text = body["body"]?.stringValue else {
                        throw APIError(code: "parameter_invalid", message: "contact_id and body are required")
                    }
                    let conversation = try state.createUserConversation(
                        contactID: contactID, body: text, createdAt: body["created_at"]?.intValue, now: now, lag: lag)
                    return conversation.json(parts: true)
                case ("POST", 3, "contacts") where parts[2] == "visibility":
                    guard let at = Self.number(body["visible_at"]) else {
                        throw APIError(code: "parameter_invalid", message: "visible_at is required")
                    }
                    guard state.contacts.current(parts[1]) != nil else { throw APIError.notFound("User Not Found") }
                    state.contacts.setVisibleAt(parts[1], at)
                    return ["id": .string(parts[1]), "visible_at": .double(at)]
                case ("POST", 3, "conversations") where parts[2] == "visibility":
                    guard let at = Self.number(body["visible_at"]) else {
                        throw APIError(code: "parameter_invalid", message: "visible_at is required")
                    }
                    guard let key = Int(parts[1]), state.conversations.current(key) != nil else {
                        throw APIError.notFound("Resource Not Found")
                    }
                    state.conversations.setVisibleAt(key, at)
                    return ["id": .string(parts[1]), "visible_at": .double(at)]
                case ("POST", 1, "config"):
                    if let lag { state.settings.indexLag = lag }
                    if let exact = body["exact_second_contact_dates"]?.boolValue {
                        state.settings.exactSecondContactDates = exact
                    }
                    return [
                        "index_lag": .double(state.settings.indexLag),
                        "exact_second_contact_dates": .bool(state.settings.exactSecondContactDates),
                        "timezone": .string(state.settings.timezone),
                    ]
                default:
                    throw APIError.notFound("Resource Not Found")
                }
            }
            return SimResponse(status: 200, body: json.serialized())
        } catch {
            return error.response
        }
    }

    /// Creates `contacts` contacts, `conversations` conversations and `companies` companies with realistic values.
    public func seed(contacts: Int, conversations: Int, companies: Int) {
        seed(contacts: contacts, conversations: conversations, companies: companies, randomSeed: 42)
    }

    /// Like `seed(contacts:conversations:companies:)` with an explicit random seed (same seed, same records).
    public func seed(contacts: Int, conversations: Int, companies: Int, randomSeed: UInt64) {
        seed(
            contacts: contacts, conversations: conversations, companies: companies, randomSeed: randomSeed,
            at: clock.now())
    }

    /// Like `seed(contacts:conversations:companies:randomSeed:)` as if it were `now`, so a workspace seeded on
    /// first use holds the same records as one seeded at start.
    func seed(contacts: Int, conversations: Int, companies: Int, randomSeed: UInt64, at now: Double) {
        state.withLock {
            $0.seed(contacts: contacts, conversations: conversations, companies: companies, seed: randomSeed, now: now)
        }
    }

    /// Forgets every record (the live settings stay).
    public func reset() {
        state.withLock { $0 = $0.emptied }
    }

    // MARK: Swift API for tests and the demo

    /// The live settings: `configuration` plus changes made by `setIndexLag` and friends.
    public var settings: WorkspaceConfiguration { state.withLock { $0.settings } }

    /// Seconds before a change becomes visible to search, for changes made from now on.
    public func setIndexLag(_ seconds: Double) { state.withLock { $0.settings.indexLag = seconds } }

    /// Switches contact date filters between calendar-day (2.16) and exact-second matching.
    public func setExactSecondContactDates(_ exact: Bool) {
        state.withLock { $0.settings.exactSecondContactDates = exact }
    }

    /// Creates a contact at explicit times (default: now). `indexLag` overrides the workspace lag for it.
    @discardableResult
    public func createContact(
        role: String = "user", email: String? = nil, externalID: String? = nil, name: String? = nil,
        customAttributes: [String: String] = [:], createdAt: Int? = nil, updatedAt: Int? = nil,
        indexLag: Double? = nil
    ) throws(APIError) -> ContactRecord {
        var fields = WorkspaceState.ContactFields()
        fields.role = role
        fields.email = email.map { .some($0) }
        fields.externalID = externalID.map { .some($0) }
        fields.name = name.map { .some($0) }
        fields.customAttributes = Self.attributes(customAttributes)
        let now = clock.now()
        return try state.withLock { (state: inout WorkspaceState) throws(APIError) -> ContactRecord in
            try state.createContact(fields, createdAt: createdAt, updatedAt: updatedAt, now: now, lag: indexLag)
        }
    }

    /// Makes a new version of a contact: `updated_at` becomes now (or `updatedAt`), optionally with a new
    /// role (`user` signs a lead up) and attributes. An edit always changes something, as in Intercom: without
    /// a role or attributes it sets `custom_attributes.edited_at` to the new `updated_at` (the daemon
    /// suppresses an update that moves nothing but `updated_at` and activity fields).
    @discardableResult
    public func touchContact(
        id: String, role: String? = nil, updatedAt: Int? = nil, customAttributes: [String: String]? = nil,
        indexLag: Double? = nil
    ) throws(APIError) -> ContactRecord {
        var fields = WorkspaceState.ContactFields()
        fields.role = role
        let now = clock.now()
        var customAttributes = customAttributes
        if role == nil, customAttributes == nil {
            customAttributes = ["edited_at": String(updatedAt ?? Int(now.rounded(.down)))]
        }
        fields.customAttributes = customAttributes.map(Self.attributes)
        return try state.withLock { (state: inout WorkspaceState) throws(APIError) -> ContactRecord in
            try state.updateContact(id: id, fields, updatedAt: updatedAt, now: now, lag: indexLag)
        }
    }

    /// Edits a contact: sets each attribute by dotted path (`email`, `custom_attributes.plan`, `location.city`,
    /// `tags` as tag ids, keys the record does not model; in path order) and bumps `updated_at` to now (or
    /// `updatedAt`), as an edit in Intercom does. Nothing changes when a value is refused.
    @discardableResult
    public func setContactAttributes(
        id: String, _ attributes: [String: ContactAttributeValue], updatedAt: Int? = nil, indexLag: Double? = nil
    ) throws(APIError) -> ContactRecord {
        try edit(id: id, attributes, activityOnly: false, updatedAt: updatedAt, indexLag: indexLag)
    }

    /// Records activity on a contact the way Intercom does: only activity attributes
    /// (``ContactRecord/activityAttributes``: `last_seen_at`, `browser`, `os`, `location`, …) and `updated_at`
    /// move. Without attributes, `last_seen_at` becomes the new `updated_at` (the contact was seen).
    @discardableResult
    public func recordContactActivity(
        id: String, _ attributes: [String: ContactAttributeValue] = [:], updatedAt: Int? = nil,
        indexLag: Double? = nil
    ) throws(APIError) -> ContactRecord {
        try edit(id: id, attributes, activityOnly: true, updatedAt: updatedAt, indexLag: indexLag)
    }

    private func edit(
        id: String, _ attributes: [String: ContactAttributeValue], activityOnly: Bool, updatedAt: Int?,
        indexLag: Double?
    ) throws(APIError) -> ContactRecord {
        let pairs = attributes.keys.sorted().map { ($0, attributes[$0]?.value ?? .null) }
        let now = clock.now()
        return try state.withLock { (state: inout WorkspaceState) throws(APIError) -> ContactRecord in
            try state.editContact(
                id: id, pairs, activityOnly: activityOnly, updatedAt: updatedAt, now: now, lag: indexLag)
        }
    }

    /// Starts a contact-initiated conversation (`source.author.type` is the contact's role).
    @discardableResult
    public func createConversation(
        contactID: String, body: String, createdAt: Int? = nil, indexLag: Double? = nil
    ) throws(APIError) -> ConversationRecord {
        let now = clock.now()
        return try state.withLock { (state: inout WorkspaceState) throws(APIError) -> ConversationRecord in
            try state.createUserConversation(
                contactID: contactID, body: body, createdAt: createdAt, now: now, lag: indexLag)
        }
    }

    /// The current version of a contact (what `GET /contacts/{id}` shows).
    public func contact(id: String) -> ContactRecord? { state.withLock { $0.contacts.current(id) } }

    /// The current version of a conversation.
    public func conversation(id: String) -> ConversationRecord? {
        guard let key = Int(id) else { return nil }
        return state.withLock { $0.conversations.current(key) }
    }

    /// Search sees the contact's newest version only from `unixTime` on (a per-record index lag).
    public func setSearchVisibility(contactID: String, at unixTime: Double) {
        state.withLock { $0.contacts.setVisibleAt(contactID, unixTime) }
    }

    /// Search sees the conversation's newest version only from `unixTime` on.
    public func setSearchVisibility(conversationID: String, at unixTime: Double) {
        guard let key = Int(conversationID) else { return }
        state.withLock { $0.conversations.setVisibleAt(key, unixTime) }
    }

    /// Record counts, total and searchable now.
    public var counts: WorkspaceCounts {
        let now = clock.now()
        return state.withLock { state in
            state.contacts.catchUp(now: now)
            state.conversations.catchUp(now: now)
            return Self.counts(state)
        }
    }

    private static func counts(_ state: WorkspaceState) -> WorkspaceCounts {
        WorkspaceCounts(
            contacts: state.contacts.count, conversations: state.conversations.count,
            companies: state.companies.count, tickets: state.tickets.count,
            searchableContacts: state.contacts.indexedCount, searchableConversations: state.conversations.indexedCount)
    }

    private static func attributes(_ values: [String: String]) -> JSONObject {
        var object = JSONObject()
        for key in values.keys.sorted() { object[key] = .string(values[key] ?? "") }
        return object
    }

    private static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let number)?: Double(number)
        case .double(let number)?: number
        default: nil
        }
    }
}
