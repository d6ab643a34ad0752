/// The attributes of the items a resource's topics carry, as dotted paths: what a `[[destination.when]]` `field`
/// may name. From Intercom's 2.16 API reference — the `contact` and `conversation` schemas, the attributes its
/// contact and conversation examples show beyond them (`utm_*`, `referrer`, `opted_in_subscription_types`,
/// `location.country_code`, …) and `formatted_phone` from the contact search fields. Paths under an array's
/// attribute name the attributes of its elements (`tags.data.id`).
enum ItemAttributes {
    /// What a known path names.
    enum Kind: Equatable {
        /// A value (a string, number, boolean, or a list of them).
        case value
        /// An object with known attributes of its own, `example` one of them (`location` → `location.city`).
        case object(example: String)
    }

    /// One line per object: `"parent: name name …"` (no parent for the item itself); `*` allows any name under
    /// the parent (custom attributes).
    static let contacts = table([
        """
        type id workspace_id external_id role email email_domain phone formatted_phone name owner_id \
        has_hard_bounced marked_email_as_spam unsubscribed_from_emails created_at updated_at signed_up_at \
        last_seen_at last_replied_at last_contacted_at last_email_opened_at last_email_clicked_at \
        language_override browser browser_version browser_language os android_app_name android_app_version \
        android_device android_os_version android_sdk_version android_last_seen_at ios_app_name ios_app_version \
        ios_device ios_os_version ios_sdk_version ios_last_seen_at custom_attributes avatar tags notes companies \
        location social_profiles merge_history opted_out_subscription_types opted_in_subscription_types \
        utm_campaign utm_content utm_medium utm_source utm_term referrer enabled_push_messaging
        """,
        "custom_attributes: *",
        "avatar: type image_url",
        "tags: type data url total_count has_more", "tags.data: type id url",
        "notes: type data url total_count has_more", "notes.data: type id url",
        "companies: type data url total_count has_more", "companies.data: type id url",
        "opted_out_subscription_types: type data url total_count has_more",
        "opted_out_subscription_types.data: type id url",
        "opted_in_subscription_types: type data url total_count has_more",
        "opted_in_subscription_types.data: type id url",
        "location: type country region city country_code continent_code",
        "social_profiles: type data", "social_profiles.data: type name url",
        "merge_history: type source_contact_id source_contact_role merged_at",
    ])

    static let conversations = table([
        """
        type id title created_at updated_at waiting_since snoozed_until open state read priority admin_assignee_id \
        team_assignee_id company tags conversation_rating source contacts teammates custom_attributes \
        first_contact_reply sla_applied statistics conversation_parts linked_objects ai_agent_participated ai_agent \
        sales_agent_participated sales_agent channel external_references monitor_evaluations scorecards topics \
        ai_topics ticket
        """,
        "custom_attributes: *",
        """
        company: type id name app_id plan company_id remote_created_at created_at updated_at last_request_at size \
        website industry monthly_spend session_count user_count custom_attributes tags segments notes
        """,
        "company.plan: type id name", "company.custom_attributes: *",
        "company.tags: type tags", "company.tags.tags: type id name",
        "company.segments: type segments",
        "company.segments.segments: type id name created_at updated_at person_type count",
        "company.notes: type notes", "company.notes.notes: type id created_at company author body",
        "tags: type tags", "tags.tags: type id name applied_at applied_by", "tags.tags.applied_by: type id",
        "conversation_rating: rating remark created_at updated_at contact teammate",
        "conversation_rating.contact: type id external_id", "conversation_rating.teammate: type id",
        """
        source: type id delivered_as recipients reply_to subject body author attachments url redacted \
        email_message_metadata
        """,
        "source.author: type id name email",
        "source.recipients: type email drop_reason", "source.reply_to: email name",
        "source.attachments: type name url content_type filesize width height",
        "source.email_message_metadata: message_id subject email_address_headers history",
        "source.email_message_metadata.email_address_headers: type email_address name",
        "contacts: type contacts", "contacts.contacts: type id external_id",
        "teammates: type teammates", "teammates.teammates: type id",
        "first_contact_reply: created_at type url",
        "sla_applied: type sla_name sla_status",
        """
        statistics: type time_to_assignment time_to_admin_reply time_to_first_close time_to_last_close \
        median_time_to_reply first_contact_reply_at first_assignment_at first_admin_reply_at first_close_at \
        last_assignment_at last_assignment_admin_reply_at last_contact_reply_at last_admin_reply_at last_close_at \
        last_closed_by_id count_reopens count_assignments count_conversation_parts \
        assigned_team_first_response_time assigned_team_first_response_time_in_office_hours handling_time \
        adjusted_handling_time
        """,
        "statistics.assigned_team_first_response_time: team_id team_name response_time",
        "statistics.assigned_team_first_response_time_in_office_hours: team_id team_name response_time",
        "conversation_parts: type conversation_parts total_count",
        """
        conversation_parts.conversation_parts: type id part_type body created_at updated_at notified_at \
        assigned_to author attachments external_id redacted state tags app_package_code
        """,
        "conversation_parts.conversation_parts.author: type id name email from_ai_agent is_ai_answer",
        "conversation_parts.conversation_parts.assigned_to: type id",
        "conversation_parts.conversation_parts.tags: type id name",
        "linked_objects: type total_count has_more data", "linked_objects.data: type id category",
        """
        ai_agent: source_type source_title last_answer_type resolution_state rating rating_remark created_at \
        updated_at content_sources
        """,
        "ai_agent.content_sources: type total_count content_sources",
        "ai_agent.content_sources.content_sources: content_type url title locale",
        "sales_agent: outcome routing_outcome collected_data", "sales_agent.collected_data: *",
        "channel: initial current",
        "external_references: type id",
        "monitor_evaluations: monitor_id monitor_name monitor_type result explanation evaluated_at",
        """
        scorecards: scorecard_id scorecard_version_id name scorecard_type passed score ai_score evaluated_at \
        reviewed_teammate evaluators
        """,
    ])

    /// The attributes of `resource`'s items.
    static func attributes(of resource: Resource) -> Table {
        switch resource {
        case .contacts: contacts
        case .conversations: conversations
        }
    }

    /// The known paths of one resource.
    struct Table {
        /// Every known path, parents included.
        var paths: Set<String>
        /// An attribute of each object (the first but `type`), by the object's path.
        var firstChild: [String: String]
        /// Objects that take any name below them (`custom_attributes`).
        var open: Set<String>

        /// What `path` names, nil when the items have no such attribute. Any name under an open object is a
        /// value, dots included.
        func kind(of path: String) -> Kind? {
            if let child = firstChild[path] { return .object(example: "\(path).\(child)") }
            if open.contains(path) { return .object(example: "\(path).<name>") }
            if paths.contains(path) { return .value }
            return open.contains { path.hasPrefix($0 + ".") } ? .value : nil
        }
    }

    private static func table(_ lines: [String]) -> Table {
        var table = Table(paths: [], firstChild: [:], open: [])
        for line in lines {
            let parts = line.split(separator: ":", maxSplits: 1)
            let parent = parts.count == 2 ? String(parts[0]) : ""
            let names = (parts.count == 2 ? parts[1] : parts[0]).split(separator: " ").map(String.init)
            if names == ["*"] {
                table.open.insert(parent)
                continue
            }
            if !parent.isEmpty, table.firstChild[parent] == nil {
                table.firstChild[parent] = names.first { $0 != "type" } ?? names.first
            }
            for name in names { table.paths.insert(parent.isEmpty ? name : "\(parent).\(name)") }
        }
        return table
    }
}
