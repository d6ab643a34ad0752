import ArgumentParser
import IntercomTriggers

/// The contact fields of `api contacts create|update`.
struct ApiContactFieldOptions: ParsableArguments {
    @Option(help: "user or lead (create defaults to lead).") var role: String?
    @Option var email: String?
    @Option var externalId: String?
    @Option var phone: String?
    @Option var name: String?
    @Option(help: "An image URL.") var avatar: String?
    @Option(help: "Unix seconds.") var signedUpAt: Int?
    @Option(help: "Unix seconds.") var lastSeenAt: Int?
    @Option(help: "An admin id.") var ownerId: String?
    @Option(help: "true or false.") var unsubscribedFromEmails: Bool?
    @Option(help: "A JSON object.") var customAttributes: String?
    @Option(help: "Intercom's id of a company to attach the contact to.") var companyId: String?

    var fields: ContactFields {
        ContactFields(
            role: role, email: email, externalID: externalId, phone: phone, name: name, avatar: avatar,
            signedUpAt: signedUpAt, lastSeenAt: lastSeenAt, ownerID: ownerId,
            unsubscribedFromEmails: unsubscribedFromEmails, customAttributes: customAttributes, companyID: companyId)
    }
}
