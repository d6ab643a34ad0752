import Foundation

extension IntercomClient {
    /// `POST /tickets` with a `create_ticket_request` body (`ticket_type_id`, `contacts`, …).
    public func createTicket(_ body: Data) async throws -> Ticket {
        try await perform(.post, "/tickets", body: body) { try Ticket(raw: $0.body) }
    }

    /// `GET /tickets/{id}` (the ticket's `id`, not its `ticket_id`).
    public func getTicket(id: String) async throws -> Ticket {
        try await perform(.get, "/tickets/\(Self.segment(id))") { try Ticket(raw: $0.body) }
    }

}
