import Foundation

extension SearchSchema where Record == ConversationRecord {
    /// The fields of the spec's conversation search table. Dates always match the exact second.
    static func conversations(timezone: String) -> SearchSchema {
        func string(_ read: @escaping (ConversationRecord) -> String?) -> SearchField<ConversationRecord> {
            SearchField(kind: .string) { .string(read($0)) }
        }
        func date(_ read: @escaping (ConversationRecord) -> Int?) -> SearchField<ConversationRecord> {
            SearchField(kind: .date) { .int(read($0)) }
        }
        func int(_ read: @escaping (ConversationRecord) -> Int?) -> SearchField<ConversationRecord> {
            SearchField(kind: .integer) { .int(read($0)) }
        }
        func bool(_ read: @escaping (ConversationRecord) -> Bool?) -> SearchField<ConversationRecord> {
            SearchField(kind: .boolean) { .bool(read($0)) }
        }
        let none = SearchField<ConversationRecord>(kind: .string) { _ in .string(nil) }
        let noDate = SearchField<ConversationRecord>(kind: .date) { _ in .int(nil) }
        let noInt = SearchField<ConversationRecord>(kind: .integer) { _ in .int(nil) }
        var fields: [String: SearchField<ConversationRecord>] = [
            "id": string(\.id), "created_at": date(\.createdAt), "updated_at": date(\.updatedAt),
            "source.type": string(\.source.type), "source.id": string(\.source.id),
            "source.delivered_as": string(\.source.deliveredAs), "source.subject": string(\.source.subject),
            "source.body": SearchField(kind: .words) { .string(HTMLText.plain($0.source.body)) },
            "source.author.id": string(\.source.author.id), "source.author.type": string(\.source.author.type),
            "source.author.name": string(\.source.author.name),
            "source.author.email": string(\.source.author.email), "source.url": string(\.source.url),
            "contact_ids": SearchField(kind: .stringList) { .strings($0.contacts.map(\.id)) },
            "teammate_ids": SearchField(kind: .stringList) { .strings($0.teammateIDs) },
            "admin_assignee_id": int(\.adminAssigneeID), "team_assignee_id": int(\.teamAssigneeID),
            "channel_initiated": string { $0.source.type == "email" ? "email" : "chat" },
            "open": bool(\.open), "read": bool(\.read), "state": string(\.state),
            "waiting_since": date(\.waitingSince), "snoozed_until": date(\.snoozedUntil),
            "tag_ids": SearchField(kind: .stringList) { .strings($0.tagIDs) }, "priority": string(\.priority),
            "ai_agent_participated": bool { _ in false },
        ]
        for name in [
            "time_to_assignment", "time_to_admin_reply", "time_to_first_close", "time_to_last_close",
            "median_time_to_reply", "count_reopens", "count_assignments",
        ] {
            fields["statistics.\(name)"] = noInt
        }
        fields["statistics.count_conversation_parts"] = int { $0.parts.count + 1 }
        for name in [
            "first_contact_reply_at", "first_assignment_at", "first_admin_reply_at", "first_close_at",
            "last_assignment_at", "last_assignment_admin_reply_at", "last_contact_reply_at", "last_admin_reply_at",
            "last_close_at",
        ] {
            fields["statistics.\(name)"] = noDate
        }
        fields["statistics.last_closed_by_id"] = none
        fields["conversation_rating.requested_at"] = noDate
        fields["conversation_rating.replied_at"] = noDate
        fields["conversation_rating.score"] = noInt
        for name in ["remark", "contact_id", "admin_d", "admin_id"] { fields["conversation_rating.\(name)"] = none }
        fields["ai_agent.rating"] = noInt
        for name in ["resolution_state", "last_answer_type", "rating_remark", "source_type", "source_title"] {
            fields["ai_agent.\(name)"] = none
        }
        return SearchSchema(
            resource: "conversation", fields: fields, customAttributes: \.customAttributes,
            dayGranularDates: false, dateOperators: ["=", "!=", "IN", "NIN", "<", ">", "<=", ">="],
            calendar: calendar(timezone: timezone))
    }
}
