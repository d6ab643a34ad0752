/// One teammate of the workspace; renders the 2.16 `admin` schema.
public struct AdminRecord: Sendable, Equatable {
    public var id: String
    public var name: String
    public var email: String
    public var jobTitle: String

    /// The seeded teammates every simulated workspace has; the first one owns the access token.
    static let seeded: [AdminRecord] = [
        AdminRecord(
            id: "991267459", name: "Ciara Lee", email: "ciara.lee@example-support.com", jobTitle: "Head of Support"),
        AdminRecord(
            id: "991267466", name: "Tomás Ortega", email: "tomas.ortega@example-support.com",
            jobTitle: "Support Engineer"),
        AdminRecord(
            id: "991267471", name: "Priya Raman", email: "priya.raman@example-support.com",
            jobTitle: "Customer Success Manager"),
    ]

    /// The admin as a conversation/part author.
    var author: ConversationRecord.Author { .init(type: "admin", id: id, name: name, email: email) }

    func json() -> JSONValue {
        var object = JSONObject()
        object["type"] = "admin"
        object["id"] = .string(id)
        object["name"] = .string(name)
        object["email"] = .string(email)
        object["job_title"] = .string(jobTitle)
        object["away_mode_enabled"] = false
        object["away_mode_reassign"] = false
        object["away_status_reason_id"] = .null
        object["has_inbox_seat"] = true
        object["team_ids"] = []
        object["avatar"] = .string("https://static.intercomassets.com/avatars/\(id)/square_128/avatar.png")
        object["team_priority_level"] = ["primary_team_ids": [], "secondary_team_ids": []]
        object["role"] = .null
        return .object(object)
    }
}
