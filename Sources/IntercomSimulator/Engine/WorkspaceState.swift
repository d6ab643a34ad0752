import Foundation

/// Everything a simulated workspace holds, guarded by the `Mutex` in `SimulatedWorkspace`.
struct WorkspaceState: Sendable {
    /// The live settings (index lag and date granularity can change at run time).
    var settings: WorkspaceConfiguration
    var contacts = RecordStore<ContactRecord>()
    var conversations = RecordStore<ConversationRecord>()
    var companies: [String: CompanyRecord] = [:]
    /// Company ids in creation order (the scroll order).
    var companyOrder: [String] = []
    var companyByCompanyID: [String: String] = [:]
    var tickets: [String: TicketRecord] = [:]
    var scroll: CompanyScroll?
    /// Users by lower-cased email and contacts by external id, for duplicate checks.
    var userByEmail: [String: String] = [:]
    var contactByExternalID: [String: String] = [:]
    var contactCounts: [String: (generation: Int, count: Int)] = [:]
    var conversationCounts: [String: (generation: Int, count: Int)] = [:]
    var serial = 0
    /// Which workspace of a simulator this is (0 for the first), so ids never repeat across workspaces.
    let idSpace: Int
    /// The middle of every object id: Intercom's ids differ between workspaces, and so do ours.
    let machine: String
    var nextConversationID: Int
    var nextMessageID: Int
    var nextPartID: Int
    var nextTicketID: Int
    let admins = AdminRecord.seeded
    let ticketTypes = TicketTypeRecord.seeded

    /// Numeric ids of workspace `idSpace` start this far above the first workspace's.
    static let idSpaceStride = 1_000_000_000

    init(settings: WorkspaceConfiguration, idSpace: Int = 0) {
        self.settings = settings
        self.idSpace = idSpace
        machine = Self.hex8(0x1bb6_9f9f &+ idSpace)
        let offset = idSpace * Self.idSpaceStride
        nextConversationID = 215_471_000_000_001 + offset
        nextMessageID = 403_918_320 + offset
        nextPartID = 20_000_001 + offset
        nextTicketID = 626 + offset
    }

    /// The same workspace with no records: same settings, same id space.
    var emptied: WorkspaceState { WorkspaceState(settings: settings, idSpace: idSpace) }

    var contactSchema: SearchSchema<ContactRecord> {
        .contacts(timezone: settings.timezone, exactSecond: settings.exactSecondContactDates)
    }
    var conversationSchema: SearchSchema<ConversationRecord> { .conversations(timezone: settings.timezone) }

    /// A 24-hex ObjectId-style id: the creation second, the workspace's machine part and a counter.
    mutating func objectID(at seconds: Int) -> String {
        serial += 1
        return Self.hex8(max(seconds, 0)) + machine + Self.hex8(serial)
    }

    /// The low 32 bits of `value` as 8 lowercase hex digits.
    private static func hex8(_ value: Int) -> String {
        let digits = String(UInt32(truncatingIfNeeded: value), radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// When a change made now becomes visible to search.
    func visibleAt(now: Double, lag: Double?) -> Double { now + (lag ?? settings.indexLag) }

    /// Parses a request body that must be a JSON object.
    static func object(_ body: Data?) throws(APIError) -> JSONValue {
        guard let body, !body.isEmpty else { return .object(JSONObject()) }
        guard let value = JSONValue.parse(body), case .object = value else {
            throw APIError(code: "parameter_invalid", message: "The request body is not a valid JSON object")
        }
        return value
    }
}
