/// One company; renders the 2.16 `company` schema.
public struct CompanyRecord: Sendable, Equatable {
    /// 24 hex characters, like contact ids.
    public var id: String
    /// The caller's own id for the company, the upsert key of `POST /companies`.
    public var companyID: String
    public var name: String
    public var plan: String?
    public var size: Int
    public var website: String
    public var industry: String
    public var monthlySpend: Int
    public var sessionCount = 0
    public var userCount = 0
    public var remoteCreatedAt: Int
    public var createdAt: Int
    public var updatedAt: Int
    public var lastRequestAt: Int
    public var customAttributes: [String: String] = [:]

    func json(workspaceID: String) -> JSONValue {
        var object = JSONObject()
        object["type"] = "company"
        object["company_id"] = .string(companyID)
        object["id"] = .string(id)
        object["app_id"] = .string(workspaceID)
        object["name"] = .string(name)
        object["remote_created_at"] = .int(remoteCreatedAt)
        object["created_at"] = .int(createdAt)
        object["updated_at"] = .int(updatedAt)
        object["last_request_at"] = .int(lastRequestAt)
        object["size"] = .int(size)
        object["website"] = .string(website)
        object["industry"] = .string(industry)
        object["monthly_spend"] = .int(monthlySpend)
        object["session_count"] = .int(sessionCount)
        object["user_count"] = .int(userCount)
        object["tags"] = ["type": "tag.list", "tags": []]
        object["segments"] = ["type": "segment.list", "segments": []]
        object["notes"] = ["type": "note.list", "notes": []]
        if let plan {
            object["plan"] = [
                "type": "plan", "id": .string(String(abs(plan.hashValue % 900_000) + 100_000)), "name": .string(plan),
            ]
        } else {
            object["plan"] = [:]
        }
        var attributes = JSONObject()
        for key in customAttributes.keys.sorted() { attributes[key] = .string(customAttributes[key] ?? "") }
        object["custom_attributes"] = .object(attributes)
        return .object(object)
    }
}
