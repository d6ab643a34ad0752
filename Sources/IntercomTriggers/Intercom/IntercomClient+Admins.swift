import Foundation

extension IntercomClient {
    /// `GET /me`: the token's admin, with `app` (workspace id, timezone, region). The credential check.
    public func me() async throws -> Admin {
        try await perform(.get, "/me") { try Admin(raw: $0.body) }
    }

    /// `GET /admins`: every admin of the workspace.
    public func admins() async throws -> [Admin] {
        try await perform(.get, "/admins") { try Page<Admin>(body: $0.body, itemsKey: "admins").items }
    }
}
