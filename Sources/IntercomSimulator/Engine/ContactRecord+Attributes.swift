/// Setting any attribute of a contact by its dotted path, as the control endpoints and the activity generator do.
extension ContactRecord {
    /// The attributes Intercom moves on activity rather than on an edit (a session, a reply, an email opened, the
    /// device and the location derived from the last IP), by top-level name; `location` covers its members.
    /// `updated_at` moves with them. The default list the lead chose for #14's `ignore_fields`.
    public static let activityAttributes: Set<String> = [
        "last_seen_at", "android_last_seen_at", "ios_last_seen_at", "last_replied_at", "last_contacted_at",
        "last_email_opened_at", "last_email_clicked_at", "browser", "browser_version", "browser_language", "os",
        "android_app_name", "android_app_version", "android_device", "android_os_version", "android_sdk_version",
        "ios_app_name", "ios_app_version", "ios_device", "ios_os_version", "ios_sdk_version", "location",
    ]

    /// Attributes that identify the record or follow from others: never set by path (`updated_at` is the version,
    /// set on its own; companies are attached through `POST /contacts/{id}/companies`).
    static let fixedAttributes: Set<String> = [
        "type", "id", "workspace_id", "created_at", "updated_at", "email_domain", "formatted_phone", "companies",
    ]

    // Computed: key paths are not Sendable, so a stored table would be shared mutable state to the compiler.
    private static var strings: [String: WritableKeyPath<ContactRecord, String?>] {
        [
            "email": \.email, "phone": \.phone, "name": \.name, "external_id": \.externalID, "owner_id": \.ownerID,
            "language_override": \.languageOverride, "browser": \.browser, "browser_version": \.browserVersion,
            "browser_language": \.browserLanguage, "os": \.os, "avatar": \.avatarURL, "avatar.image_url": \.avatarURL,
            "location.country": \.location.country, "location.region": \.location.region,
            "location.city": \.location.city,
            "location.country_code": \.location.countryCode, "location.continent_code": \.location.continentCode,
        ]
    }

    private static var times: [String: WritableKeyPath<ContactRecord, Int?>] {
        [
            "signed_up_at": \.signedUpAt, "last_seen_at": \.lastSeenAt, "last_replied_at": \.lastRepliedAt,
            "last_contacted_at": \.lastContactedAt, "last_email_opened_at": \.lastEmailOpenedAt,
            "last_email_clicked_at": \.lastEmailClickedAt,
        ]
    }

    private static var flags: [String: WritableKeyPath<ContactRecord, Bool>] {
        [
            "has_hard_bounced": \.hasHardBounced, "marked_email_as_spam": \.markedEmailAsSpam,
            "unsubscribed_from_emails": \.unsubscribedFromEmails,
        ]
    }

    /// Whether `path` names an activity-only attribute (see ``activityAttributes``).
    static func isActivity(_ path: String) -> Bool {
        activityAttributes.contains(String(path.prefix { $0 != "." }))
    }

    /// Sets the attribute at `path` (`email`, `custom_attributes.plan`, `location.city`, `android_device`, a key
    /// the schema does not have) to `value`. Modelled attributes keep their types (a string or `null`, a Unix time
    /// or `null`, a boolean); `tags` takes the list of tag ids; `role` goes from lead to user only. `null` removes a
    /// custom attribute, and an attribute the record does not model goes back to what the schema renders (`null`,
    /// or absent for an unknown key).
    mutating func set(_ path: String, to value: JSONValue) throws(APIError) {
        let segments = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let head = segments.first, !segments.contains(where: \.isEmpty) else {
            throw APIError(code: "parameter_invalid", message: "'\(path)' is not an attribute path", field: path)
        }
        guard !Self.fixedAttributes.contains(head) else {
            throw APIError(code: "parameter_invalid", message: "\(head) cannot be set", field: path)
        }
        func mismatch(_ expected: String) -> APIError {
            APIError(code: "parameter_invalid", message: "\(path) must be \(expected)", field: path)
        }
        if let key = Self.strings[path] {
            guard value.isNull || value.stringValue != nil else { throw mismatch("a string or null") }
            self[keyPath: key] = value.stringValue
        } else if let key = Self.times[path] {
            guard value.isNull || value.intValue != nil else { throw mismatch("a UNIX timestamp or null") }
            self[keyPath: key] = value.intValue
        } else if let key = Self.flags[path] {
            guard let flag = value.boolValue else { throw mismatch("a boolean") }
            self[keyPath: key] = flag
        } else {
            try setUnmodelled(segments, path: path, value, mismatch)
        }
    }

    private mutating func setUnmodelled(
        _ segments: [String], path: String, _ value: JSONValue, _ mismatch: (String) -> APIError
    ) throws(APIError) {
        switch segments[0] {
        case "role" where segments.count == 1:
            guard let next = value.stringValue, next == "user" || next == "lead" else { throw mismatch("user or lead") }
            guard role == next || next == "user" else { throw mismatch("user (a user cannot become a lead)") }
            role = next
        case "custom_attributes" where segments.count == 1:
            guard let members = value.objectValue else {
                guard value.isNull else { throw mismatch("an object or null") }
                customAttributes = JSONObject()
                return
            }
            for (key, member) in members.pairs { customAttributes[key] = member.nonNull }
        case "custom_attributes":
            customAttributes.set(segments.dropFirst(), to: value.nonNull)
        case "location" where segments.count == 1:
            guard let members = value.objectValue else {
                guard value.isNull else { throw mismatch("an object or null") }
                location = Location()
                return
            }
            for (key, member) in members.pairs where key != "type" { try set("location.\(key)", to: member) }
        case "tags" where segments.count == 1:
            guard let ids = value.arrayValue?.compactMap(\.stringValue), ids.count == value.arrayValue?.count else {
                throw mismatch("a list of tag ids")
            }
            tagIDs = ids
        default:
            overrides.set(segments[...], to: value.nonNull)
        }
    }
}
