/// `GET /me` and `GET /admins`.
extension WorkspaceState {
    /// When the simulated app was created (2020-01-01 UTC): older than any seeded record.
    static var appCreatedAt: Int { 1_577_836_800 }

    func me() -> JSONValue {
        let admin = admins[0]
        var object = JSONObject()
        object["type"] = "admin"
        object["id"] = .string(admin.id)
        object["email"] = .string(admin.email)
        object["name"] = .string(admin.name)
        object["job_title"] = .string(admin.jobTitle)
        object["away_mode_enabled"] = false
        object["away_mode_reassign"] = false
        object["has_inbox_seat"] = true
        object["team_ids"] = []
        object["email_verified"] = true
        object["app"] = [
            "type": "app", "id_code": .string(settings.workspaceID), "name": .string(settings.name),
            "created_at": .int(Self.appCreatedAt), "secure": false, "identity_verification": false,
            "timezone": .string(settings.timezone), "region": .string(settings.region),
        ]
        object["avatar"] = [
            "type": "avatar", "image_url": "https://static.intercomassets.com/assets/default-avatars/admins/128.png",
        ]
        return .object(object)
    }

    func handleAdmins(_ request: SimRequest, _ parts: [String]) throws(APIError) -> JSONValue {
        guard request.method == "GET" else { throw APIError.notFound("Resource Not Found") }
        if parts.count == 1 { return ["type": "admin.list", "admins": .array(admins.map { $0.json() })] }
        guard parts.count == 2, let admin = admins.first(where: { $0.id == parts[1] }) else {
            throw APIError.notFound("Admin not found", code: "admin_not_found")
        }
        return admin.json()
    }
}
