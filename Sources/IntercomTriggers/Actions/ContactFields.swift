import Foundation

/// The fields of `api contacts create|update` (and of users and leads), as given on the command
/// line; nil fields are left out of the request.
public struct ContactFields: Sendable, Equatable {
    public var role: String?
    public var email: String?
    public var externalID: String?
    public var phone: String?
    public var name: String?
    public var avatar: String?
    /// Unix seconds.
    public var signedUpAt: Int?
    /// Unix seconds.
    public var lastSeenAt: Int?
    public var ownerID: String?
    public var unsubscribedFromEmails: Bool?
    /// A JSON object, checked before sending.
    public var customAttributes: String?
    /// Intercom's id of a company to attach the contact to once it is saved.
    public var companyID: String?

    public init(
        role: String? = nil, email: String? = nil, externalID: String? = nil, phone: String? = nil,
        name: String? = nil, avatar: String? = nil, signedUpAt: Int? = nil, lastSeenAt: Int? = nil,
        ownerID: String? = nil, unsubscribedFromEmails: Bool? = nil, customAttributes: String? = nil,
        companyID: String? = nil
    ) {
        self.role = role
        self.email = email
        self.externalID = externalID
        self.phone = phone
        self.name = name
        self.avatar = avatar
        self.signedUpAt = signedUpAt
        self.lastSeenAt = lastSeenAt
        self.ownerID = ownerID
        self.unsubscribedFromEmails = unsubscribedFromEmails
        self.customAttributes = customAttributes
        self.companyID = companyID
    }

    /// The request body, refusing a role other than user/lead and custom attributes that are not a
    /// JSON object. `defaultRole` fills in a missing role (create); nil leaves it out (update).
    public func body(defaultRole: String?) throws(ActionUsageError) -> Data {
        var body = JSONBodyBuilder()
        if let role = role ?? defaultRole {
            body.string("role", try ActionInput.oneOf(role, ["user", "lead"], "--role"))
        }
        body.string("external_id", externalID)
        body.string("email", email)
        body.string("phone", phone)
        body.string("name", name)
        body.string("avatar", avatar)
        body.int("signed_up_at", signedUpAt)
        body.int("last_seen_at", lastSeenAt)
        // Intercom's owner ids are numbers; send one as a number when it is one.
        body.raw("owner_id", ownerID.map { Int($0) != nil ? $0 : JSONText.string($0) })
        body.bool("unsubscribed_from_emails", unsubscribedFromEmails)
        if let customAttributes {
            body.raw("custom_attributes", try ActionInput.json(customAttributes, "--custom-attributes"))
        }
        return body.data
    }
}
