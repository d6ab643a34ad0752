/// One contact (user or lead) as the simulator stores it; `json(workspaceID:)` renders the 2.16 `contact` schema.
public struct ContactRecord: Sendable, Equatable {
    /// 24 hex characters, ObjectId style (creation second, then a counter).
    public var id: String
    public var role: String
    public var externalID: String?
    public var email: String?
    public var phone: String?
    public var name: String?
    public var avatarURL: String?
    public var ownerID: String?
    public var hasHardBounced = false
    public var markedEmailAsSpam = false
    public var unsubscribedFromEmails = false
    public var createdAt: Int
    public var updatedAt: Int
    public var signedUpAt: Int?
    public var lastSeenAt: Int?
    public var lastRepliedAt: Int?
    public var lastContactedAt: Int?
    public var lastEmailOpenedAt: Int?
    public var lastEmailClickedAt: Int?
    public var languageOverride: String?
    public var browser: String?
    public var browserVersion: String?
    public var browserLanguage: String?
    public var os: String?
    public var location = Location()
    var customAttributes = JSONObject()
    public var tagIDs: [String] = []
    public var companyIDs: [String] = []
    public var segmentIDs: [String] = []
    public var twitterHandle: String?
    /// Attributes the record does not model, set through the control endpoints (`android_device`, a new key, …):
    /// merged into the rendered contact, objects member by member.
    var overrides = JSONObject()
    /// Renders the contact unreadable on purpose (a test control), or nil.
    public var corruption: Corruption?

    /// A way to render a contact that a client cannot read, as a misbehaving integration or a broken
    /// export can leave one: the record stays in the workspace, searchable, only its JSON is wrong.
    public enum Corruption: String, Sendable, CaseIterable {
        /// `updated_at` is a string that is not a time.
        case updatedAt = "updated_at"
        /// No `id` key at all.
        case id
    }

    /// `location` on a contact.
    public struct Location: Sendable, Equatable {
        public var country: String?
        public var region: String?
        public var city: String?
        public var countryCode: String?
        public var continentCode: String?
        public init(
            country: String? = nil, region: String? = nil, city: String? = nil, countryCode: String? = nil,
            continentCode: String? = nil
        ) {
            self.country = country
            self.region = region
            self.city = city
            self.countryCode = countryCode
            self.continentCode = continentCode
        }
    }

    public init(id: String, role: String, createdAt: Int, updatedAt: Int) {
        self.id = id
        self.role = role
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The part of the email after `@`, as Intercom derives `email_domain`.
    public var emailDomain: String? {
        guard let email, let at = email.lastIndex(of: "@") else { return nil }
        return String(email[email.index(after: at)...])
    }

    /// `{"type":"contact","id","external_id"}`, as conversations and tickets reference contacts.
    func reference() -> JSONValue {
        ["type": "contact", "id": .string(id), "external_id": .string(externalID)]
    }

    /// The full `contact` object, keys in the order of the spec's example.
    /// `includeMergeHistory` adds `merge_history` (users only), as `?include_merge_history=true` asks.
    func json(workspaceID: String, includeMergeHistory: Bool = false) -> JSONValue {
        var object = JSONObject()
        object["type"] = "contact"
        object["id"] = .string(id)
        object["workspace_id"] = .string(workspaceID)
        object["external_id"] = .string(externalID)
        object["role"] = .string(role)
        // The schema types `email` and `email_domain` as plain strings: Intercom sends "" when unknown.
        object["email"] = .string(email ?? "")
        object["email_domain"] = .string(emailDomain ?? "")
        object["phone"] = .string(phone)
        object["formatted_phone"] = .string(phone)
        object["name"] = .string(name)
        object["owner_id"] = .string(ownerID)
        object["has_hard_bounced"] = .bool(hasHardBounced)
        object["marked_email_as_spam"] = .bool(markedEmailAsSpam)
        object["unsubscribed_from_emails"] = .bool(unsubscribedFromEmails)
        object["created_at"] = .int(createdAt)
        object["updated_at"] = .int(updatedAt)
        switch corruption {
        case .updatedAt?: object["updated_at"] = "not a time"
        case .id?: object["id"] = nil
        case nil: break
        }
        object["signed_up_at"] = .int(signedUpAt)
        object["last_seen_at"] = .int(lastSeenAt)
        object["last_replied_at"] = .int(lastRepliedAt)
        object["last_contacted_at"] = .int(lastContactedAt)
        object["last_email_opened_at"] = .int(lastEmailOpenedAt)
        object["last_email_clicked_at"] = .int(lastEmailClickedAt)
        object["language_override"] = .string(languageOverride)
        object["browser"] = .string(browser)
        object["browser_version"] = .string(browserVersion)
        object["browser_language"] = .string(browserLanguage)
        object["os"] = .string(os)
        for key in ["android_app_name", "android_app_version", "android_device", "android_os_version"] {
            object[key] = .null
        }
        object["android_sdk_version"] = .null
        object["android_last_seen_at"] = .null
        for key in ["ios_app_name", "ios_app_version", "ios_device", "ios_os_version", "ios_sdk_version"] {
            object[key] = .null
        }
        object["ios_last_seen_at"] = .null
        object["custom_attributes"] = .object(customAttributes)
        object["avatar"] =
            avatarURL.map { ["type": "avatar", "image_url": .string($0)] } ?? .null
        object["tags"] = addressableList(
            tagIDs.map { ["type": "tag", "id": .string($0), "url": .string("/tags/\($0)")] }, "tags")
        object["notes"] = addressableList([], "notes")
        object["companies"] = addressableList(
            companyIDs.map { ["type": "company", "id": .string($0), "url": .string("/companies/\($0)")] }, "companies")
        object["location"] = [
            "type": "location", "country": .string(location.country), "region": .string(location.region),
            "city": .string(location.city), "country_code": .string(location.countryCode),
            "continent_code": .string(location.continentCode),
        ]
        var profiles: [JSONValue] = []
        if let twitterHandle {
            profiles.append(
                ["type": "social_profile", "name": "Twitter", "url": .string("https://twitter.com/\(twitterHandle)")])
        }
        object["social_profiles"] = ["type": "list", "data": .array(profiles)]
        object["opted_out_subscription_types"] = addressableList([], "subscriptions")
        object["opted_in_subscription_types"] = addressableList([], "subscriptions")
        for key in ["utm_campaign", "utm_content", "utm_medium", "utm_source", "utm_term", "referrer"] {
            object[key] = .null
        }
        object["enabled_push_messaging"] = .null
        if includeMergeHistory, role == "user" { object["merge_history"] = [] }
        object.merge(overrides)
        return .object(object)
    }

    /// Nested lists on a contact hold at most 10 entries; the URL pages through the rest.
    private func addressableList(_ items: [JSONValue], _ name: String) -> JSONValue {
        [
            "type": "list", "data": .array(Array(items.prefix(10))), "url": .string("/contacts/\(id)/\(name)"),
            "total_count": .int(items.count), "has_more": .bool(items.count > 10),
        ]
    }
}
