import Foundation

/// Contact endpoints and the contact part of the Swift API.
extension WorkspaceState {
    /// Optional fields of a create/update body.
    struct ContactFields {
        var role: String?
        var externalID: String??
        var email: String??
        var phone: String??
        var name: String??
        var avatar: String??
        var signedUpAt: Int??
        var lastSeenAt: Int??
        var ownerID: String??
        var unsubscribed: Bool?
        var customAttributes: JSONObject?

        init() {}

        init(json body: JSONValue) throws(APIError) {
            func text(_ key: String) throws(APIError) -> String?? {
                guard let value = body[key] else { return nil }
                if value.isNull { return .some(nil) }
                guard let string = value.stringValue else {
                    throw APIError(code: "parameter_invalid", message: "\(key) must be a string", field: key)
                }
                return .some(string)
            }
            func time(_ key: String) throws(APIError) -> Int?? {
                guard let value = body[key] else { return nil }
                if value.isNull { return .some(nil) }
                guard let seconds = value.intValue else {
                    throw APIError(code: "parameter_invalid", message: "\(key) must be a UNIX timestamp", field: key)
                }
                return .some(seconds)
            }
            if let role = try text("role") {
                guard let role, role == "user" || role == "lead" else {
                    throw APIError(code: "parameter_invalid", message: "role must be one of: user, lead", field: "role")
                }
                self.role = role
            }
            externalID = try text("external_id")
            email = try text("email")
            phone = try text("phone")
            name = try text("name")
            avatar = try text("avatar")
            ownerID = try text("owner_id")
            if let owner = body["owner_id"]?.intValue { ownerID = .some(String(owner)) }
            // Accepted and not rendered (the contact schema has no such attribute); the spec refuses it alone.
            if let value = body["email_verified"], !value.isNull {
                guard value.boolValue != nil else {
                    throw APIError(
                        code: "parameter_invalid", message: "email_verified must be a boolean", field: "email_verified")
                }
                guard (email ?? nil) != nil else {
                    throw APIError(
                        code: "parameter_invalid", message: "email_verified must be supplied together with an email",
                        field: "email_verified")
                }
            }
            signedUpAt = try time("signed_up_at")
            lastSeenAt = try time("last_seen_at")
            if let value = body["unsubscribed_from_emails"], !value.isNull {
                guard let flag = value.boolValue else {
                    throw APIError(
                        code: "parameter_invalid", message: "unsubscribed_from_emails must be a boolean",
                        field: "unsubscribed_from_emails")
                }
                unsubscribed = flag
            }
            if let value = body["custom_attributes"], !value.isNull {
                guard let object = value.objectValue else {
                    throw APIError(
                        code: "parameter_invalid", message: "custom_attributes must be an object",
                        field: "custom_attributes")
                }
                customAttributes = object
            }
        }

        func apply(to contact: inout ContactRecord) {
            if let role { contact.role = role }
            if let externalID { contact.externalID = externalID }
            if let email { contact.email = email }
            if let phone { contact.phone = phone }
            if let name { contact.name = name }
            if let avatar { contact.avatarURL = avatar }
            if let signedUpAt { contact.signedUpAt = signedUpAt }
            if let lastSeenAt { contact.lastSeenAt = lastSeenAt }
            if let ownerID { contact.ownerID = ownerID }
            if let unsubscribed { contact.unsubscribedFromEmails = unsubscribed }
            if let customAttributes {
                for (key, value) in customAttributes.pairs {
                    contact.customAttributes[key] = value.nonNull
                }
            }
        }
    }

    /// Duplicates: Intercom keeps `email` unique among *users* only (a workspace can hold several leads with
    /// one email, e.g. one per browser), and `external_id` unique among all contacts. A conflict answers 409
    /// with the id of the contact already holding the value.
    func conflict(for contact: ContactRecord) -> APIError? {
        var existing: String?
        if let external = contact.externalID, let other = contactByExternalID[external], other != contact.id {
            existing = other
        } else if contact.role == "user", let email = contact.email?.lowercased(), let other = userByEmail[email],
            other != contact.id
        {
            existing = other
        }
        return existing.map {
            APIError(
                status: 409, code: "conflict", message: "A contact matching those details already exists with id=\($0)")
        }
    }

    mutating func register(_ contact: ContactRecord, replacing old: ContactRecord?) {
        if let old {
            if let external = old.externalID, contactByExternalID[external] == old.id {
                contactByExternalID[external] = nil
            }
            if old.role == "user", let email = old.email?.lowercased(), userByEmail[email] == old.id {
                userByEmail[email] = nil
            }
        }
        if let external = contact.externalID { contactByExternalID[external] = contact.id }
        if contact.role == "user", let email = contact.email?.lowercased() { userByEmail[email] = contact.id }
    }

    /// Creates a contact. `createdAt`/`updatedAt` default to now; `lag` overrides the workspace index lag;
    /// `corruption` makes its JSON unreadable for good.
    mutating func createContact(
        _ fields: ContactFields, createdAt: Int? = nil, updatedAt: Int? = nil, now: Double, lag: Double? = nil,
        corruption: ContactRecord.Corruption? = nil
    ) throws(APIError) -> ContactRecord {
        let hasEmail = (fields.email ?? nil) != nil
        let hasExternal = (fields.externalID ?? nil) != nil
        guard hasEmail || hasExternal || fields.role != nil else {
            throw APIError(
                code: "parameter_invalid", message: "One of email, external_id or role is required")
        }
        let created = createdAt ?? Int(now.rounded(.down))
        // Without a role Intercom creates a user: the spec's example posts only an email and gets `"role":"user"`.
        var contact = ContactRecord(
            id: objectID(at: created), role: fields.role ?? "user", createdAt: created,
            updatedAt: max(updatedAt ?? created, created))
        fields.apply(to: &contact)
        contact.corruption = corruption
        if contact.role == "user", fields.signedUpAt == nil { contact.signedUpAt = created }
        if let error = conflict(for: contact) { throw error }
        register(contact, replacing: nil)
        contacts.put(contact, visibleAt: visibleAt(now: now, lag: lag))
        return contact
    }

    /// Updates a contact: bumps `updated_at` to now (or `updatedAt`). A lead may become a user; a user
    /// cannot go back to being a lead (Intercom converts leads, never users).
    mutating func updateContact(
        id: String, _ fields: ContactFields, updatedAt: Int? = nil, now: Double, lag: Double? = nil
    ) throws(APIError) -> ContactRecord {
        guard let old = contacts.current(id) else { throw APIError.notFound("User Not Found") }
        if old.role == "user", fields.role == "lead" {
            throw APIError(code: "parameter_invalid", message: "A user cannot be converted to a lead", field: "role")
        }
        var contact = old
        fields.apply(to: &contact)
        return try commit(contact, replacing: old, updatedAt: updatedAt, now: now, lag: lag)
    }

    /// Sets attributes of a contact by dotted path (``ContactRecord/set(_:to:)``), in order, as one edit that
    /// bumps `updated_at` like ``updateContact(id:_:updatedAt:now:lag:)``. With `activityOnly`, every path must be
    /// an activity attribute (``ContactRecord/activityAttributes``) and no path at all moves `last_seen_at` to the
    /// new `updated_at`: a contact seen, as Intercom records a session. Nothing changes when a value is refused.
    mutating func editContact(
        id: String, _ attributes: [(path: String, value: JSONValue)], activityOnly: Bool = false,
        updatedAt: Int? = nil, now: Double, lag: Double? = nil
    ) throws(APIError) -> ContactRecord {
        guard let old = contacts.current(id) else { throw APIError.notFound("User Not Found") }
        let version = updatedAt ?? max(Int(now.rounded(.down)), old.updatedAt)
        var contact = old
        if activityOnly, attributes.isEmpty { contact.lastSeenAt = version }
        for (path, value) in attributes {
            if activityOnly, !ContactRecord.isActivity(path) {
                throw APIError(
                    code: "parameter_invalid", message: "\(path) is not an activity attribute", field: path)
            }
            try contact.set(path, to: value)
        }
        return try commit(contact, replacing: old, updatedAt: version, now: now, lag: lag)
    }

    /// Stores a new version of `old`: `updated_at` moves to now (or `updatedAt`), a lead that became a user is
    /// signed up, and duplicates are refused.
    private mutating func commit(
        _ edited: ContactRecord, replacing old: ContactRecord, updatedAt: Int?, now: Double, lag: Double?
    ) throws(APIError) -> ContactRecord {
        var contact = edited
        if old.role == "lead", contact.role == "user", contact.signedUpAt == nil {
            contact.signedUpAt = Int(now.rounded(.down))
        }
        contact.updatedAt = updatedAt ?? max(Int(now.rounded(.down)), old.updatedAt)
        if let error = conflict(for: contact) { throw error }
        register(contact, replacing: old)
        contacts.put(contact, visibleAt: visibleAt(now: now, lag: lag))
        return contact
    }

    /// `POST /contacts/{id}/companies` `{"id": <Intercom company id>}`: attaches the contact and returns the
    /// company. The contact's `companies` list changes; its `updated_at` does not (undocumented either way).
    mutating func attachCompany(contactID: String, _ body: JSONValue, now: Double) throws(APIError) -> CompanyRecord {
        guard let companyID = body["id"]?.stringValue, !companyID.isEmpty else {
            throw APIError(code: "parameter_not_found", message: "company not specified", field: "id")
        }
        guard var contact = contacts.current(contactID) else { throw APIError.notFound("User Not Found") }
        guard var company = companies[companyID] else {
            throw APIError.notFound("Company Not Found", code: "company_not_found")
        }
        if !contact.companyIDs.contains(companyID) {
            contact.companyIDs.append(companyID)
            contacts.put(contact, visibleAt: visibleAt(now: now, lag: nil))
            company.userCount += 1
            companies[companyID] = company
        }
        return company
    }

    mutating func deleteContact(id: String) throws(APIError) -> ContactRecord {
        guard let contact = contacts.current(id) else { throw APIError.notFound("User Not Found") }
        register(contact, replacing: contact)
        if let external = contact.externalID, contactByExternalID[external] == id {
            contactByExternalID[external] = nil
        }
        if let email = contact.email?.lowercased(), userByEmail[email] == id { userByEmail[email] = nil }
        contacts.remove(id)
        return contact
    }

    // MARK: HTTP

    mutating func handleContacts(_ request: SimRequest, _ parts: [String], now: Double) throws(APIError) -> JSONValue {
        let workspaceID = settings.workspaceID
        let history = request.query["include_merge_history"] == "true"
        switch (request.method, parts.count) {
        case ("POST", 1):
            let body = try Self.object(request.body)
            return try createContact(ContactFields(json: body), now: now).json(workspaceID: workspaceID)
        case ("GET", 1):
            let query = try SearchQuery<ContactRecord>.list(request.query, defaultPerPage: 50)
            return listJSON(
                try contacts.search(query, schema: contactSchema, now: now, counts: &contactCounts), history: history)
        case ("POST", 2) where parts[1] == "search":
            let body = try Self.object(request.body)
            let query = try SearchQuery(body: body, schema: contactSchema, defaultPerPage: 50)
            return listJSON(
                try contacts.search(query, schema: contactSchema, now: now, counts: &contactCounts), history: history)
        case ("GET", 2):
            guard let contact = contacts.current(parts[1]) else { throw APIError.notFound("User Not Found") }
            return contact.json(workspaceID: workspaceID, includeMergeHistory: history)
        case ("PUT", 2):
            let body = try Self.object(request.body)
            return try updateContact(id: parts[1], ContactFields(json: body), now: now).json(workspaceID: workspaceID)
        case ("POST", 3) where parts[2] == "companies":
            return try attachCompany(contactID: parts[1], try Self.object(request.body), now: now)
                .json(workspaceID: workspaceID)
        case ("DELETE", 2):
            let contact = try deleteContact(id: parts[1])
            return [
                "type": "contact", "id": .string(contact.id), "external_id": .string(contact.externalID),
                "deleted": true,
            ]
        default:
            throw APIError.notFound("Resource Not Found")
        }
    }

    private func listJSON(_ page: SearchPage<ContactRecord>, history: Bool) -> JSONValue {
        var object = JSONObject()
        object["type"] = "list"
        object["data"] = .array(
            page.records.map { $0.json(workspaceID: settings.workspaceID, includeMergeHistory: history) })
        object["total_count"] = .int(page.totalCount)
        object["pages"] = page.pagesJSON()
        return .object(object)
    }
}
