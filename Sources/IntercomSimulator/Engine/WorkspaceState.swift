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
    var nextConversationID = 215_471_000_000_001
    var nextMessageID = 403_918_320
    var nextPartID = 20_000_001
    var nextTicketID = 626
    let admins = AdminRecord.seeded
    let ticketTypes = TicketTypeRecord.seeded

    init(settings: WorkspaceConfiguration) {
        self.settings = settings
    }

    var contactSchema: SearchSchema<ContactRecord> {
        .contacts(timezone: settings.timezone, exactSecond: settings.exactSecondContactDates)
    }
    var conversationSchema: SearchSchema<ConversationRecord> { .conversations(timezone: settings.timezone) }

    /// A 24-hex ObjectId-style id: the creation second, a fixed machine part and a counter.
    mutating func objectID(at seconds: Int) -> String {
        serial += 1
        let time = String(UInt32(truncatingIfNeeded: max(seconds, 0)), radix: 16)
        let counter = String(UInt32(truncatingIfNeeded: serial), radix: 16)
        return String(repeating: "0", count: 8 - time.count) + time + "1bb69f9f"
            + String(repeating: "0", count: 8 - counter.count) + counter
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
