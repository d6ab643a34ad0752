/// Which requests the client may send again after a failure that leaves their outcome unknown.
extension IntercomClient {
    /// The `POST` paths that only read: searches and the companies list. Every other `POST` (and `PATCH`)
    /// creates or sends something — a contact, a conversation, a reply, a message, a ticket, an attachment —
    /// and is sent again only when it provably never reached Intercom.
    static let readOnlyPosts: Set<String> = ["/companies/list"]

    /// Whether sending `method path` twice has no more effect than sending it once: `GET`, `PUT` and `DELETE`,
    /// and the read-only `POST`s (`…/search`, `/companies/list`). `path` may carry a query string.
    static func isIdempotent(_ method: HTTPMethod, path: String) -> Bool {
        switch method {
        case .get, .put, .delete: return true
        case .post, .patch:
            var resource = String(path.prefix { $0 != "?" })
            if !resource.hasPrefix("/") { resource = "/" + resource }
            while resource.count > 1, resource.hasSuffix("/") { resource.removeLast() }
            return resource.hasSuffix("/search") || readOnlyPosts.contains(resource)
        }
    }
}
