import Foundation

extension IntercomClient {
    /// `POST /messages`: an admin-initiated message (`message_type`, `body`, `from`, `to`, …).
    public func createMessage(_ body: Data) async throws -> AdminMessage {
        try await perform(.post, "/messages", body: body) { try AdminMessage(raw: $0.body) }
    }
}
