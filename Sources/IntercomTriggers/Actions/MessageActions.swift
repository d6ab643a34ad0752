import Foundation

/// `api messages create`: an admin-initiated in-app or email message to one contact.
public enum MessageActions {
    /// `POST /messages`. An email needs a subject; the template (`plain` unless told) applies to email.
    public static func create(
        type: String?, template: String? = nil, subject: String? = nil, body: String?, fromAdmin: String?,
        toContact: String?, createdAt: Int? = nil
    ) throws(ActionUsageError) -> any ApiAction {
        let type = try ActionInput.oneOf(try ActionInput.required(type, "--type"), ["inapp", "email"], "--type")
        let template = try ActionInput.oneOf(template ?? "plain", ["plain", "personal"], "--template")
        if type == "email", (subject ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ActionUsageError("an email message needs --subject")
        }
        var from = JSONBodyBuilder()
        from.string("type", "admin")
        from.string("id", try ActionInput.required(fromAdmin, "--from-admin"))
        var to = JSONBodyBuilder()
        to.string("type", "user")
        to.string("id", try ActionInput.required(toContact, "--to-contact"))
        var request = JSONBodyBuilder()
        request.string("message_type", type)
        request.string("subject", subject)
        request.string("body", try ActionInput.required(body, "--body"))
        if type == "email" { request.string("template", template) }
        request.raw("from", from.json)
        request.raw("to", to.json)
        request.int("created_at", createdAt)
        return RequestAction(.post, "/messages", body: request.data)
    }
}
