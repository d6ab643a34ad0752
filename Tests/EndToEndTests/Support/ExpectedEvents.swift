import Foundation
import IntercomTriggers

/// The event ids a backfill (`start = "beginning"`, default topics) of a simulator must produce, computed
/// from what its API lists.
///
/// On a contact's first sighting its creation fires by role (`contact.lead.created` or
/// `contact.user.created`, version `created_at`); `contact.user.updated` is superseded by the creation, so a
/// pure backfill has no update events. A conversation fires `conversation.user.created` (version
/// `created_at`) when a contact (user, lead) started it.
enum ExpectedEvents {
    /// Every expected event id.
    static func backfill(of simulator: SimulatorProcess) async throws -> Set<String> {
        let workspace = try await simulator.workspaceID()
        var ids = Set<String>()
        for contact in try await simulator.allContacts() {
            guard let id = contact["id"] as? String, let role = contact["role"] as? String,
                let created = contact["created_at"] as? Int
            else { throw EndToEndError("A listed contact lacks id, role or created_at") }
            let topic = role == "lead" ? "contact.lead.created" : "contact.user.created"
            ids.insert(EventID.make(workspace: workspace, topic: topic, itemID: id, version: created))
        }
        for conversation in try await simulator.allConversations() {
            guard let id = conversation["id"] as? String, let created = conversation["created_at"] as? Int else {
                throw EndToEndError("A listed conversation lacks id or created_at")
            }
            let source = conversation["source"] as? [String: Any]
            let author = (source?["author"] as? [String: Any])?["type"] as? String
            guard ["user", "lead", "contact"].contains(author ?? "") else { continue }
            ids.insert(
                EventID.make(workspace: workspace, topic: "conversation.user.created", itemID: id, version: created))
        }
        return ids
    }
}
