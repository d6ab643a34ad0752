import Foundation

extension SearchSchema where Record == ContactRecord {
    /// The fields of the spec's contact search table. Dates match by calendar day unless `exactSecond`.
    static func contacts(timezone: String, exactSecond: Bool) -> SearchSchema {
        func string(_ read: @escaping (ContactRecord) -> String?) -> SearchField<ContactRecord> {
            SearchField(kind: .string) { .string(read($0)) }
        }
        func date(_ read: @escaping (ContactRecord) -> Int?) -> SearchField<ContactRecord> {
            SearchField(kind: .date) { .int(read($0)) }
        }
        func bool(_ read: @escaping (ContactRecord) -> Bool) -> SearchField<ContactRecord> {
            SearchField(kind: .boolean) { .bool(read($0)) }
        }
        let none = SearchField<ContactRecord>(kind: .string) { _ in .string(nil) }
        let noDate = SearchField<ContactRecord>(kind: .date) { _ in .int(nil) }
        let fields: [String: SearchField<ContactRecord>] = [
            "id": string(\.id), "role": string(\.role), "name": string(\.name), "avatar": string(\.avatarURL),
            "owner_id": string(\.ownerID), "email": string(\.email), "email_domain": string(\.emailDomain),
            "phone": string(\.phone), "formatted_phone": string(\.phone), "external_id": string(\.externalID),
            "created_at": date(\.createdAt), "signed_up_at": date(\.signedUpAt), "updated_at": date(\.updatedAt),
            "last_seen_at": date(\.lastSeenAt), "last_contacted_at": date(\.lastContactedAt),
            "last_replied_at": date(\.lastRepliedAt), "last_email_opened_at": date(\.lastEmailOpenedAt),
            "last_email_clicked_at": date(\.lastEmailClickedAt), "language_override": string(\.languageOverride),
            "browser": string(\.browser), "browser_language": string(\.browserLanguage), "os": string(\.os),
            "location.country": string(\.location.country), "location.region": string(\.location.region),
            "location.city": string(\.location.city),
            "unsubscribed_from_emails": bool(\.unsubscribedFromEmails),
            "marked_email_as_spam": bool(\.markedEmailAsSpam), "has_hard_bounced": bool(\.hasHardBounced),
            "ios_last_seen_at": noDate, "ios_app_version": none, "ios_device": none, "ios_app_device": none,
            "ios_os_version": none, "ios_app_name": none, "ios_sdk_version": none,
            "android_last_seen_at": noDate, "android_app_version": none, "android_device": none,
            "android_app_name": none, "andoid_sdk_version": none, "android_sdk_version": none,
            "segment_id": SearchField(kind: .stringList) { .strings($0.segmentIDs) },
            "tag_id": SearchField(kind: .tagList) { .strings($0.tagIDs) },
        ]
        return SearchSchema(
            resource: "contact", fields: fields, customAttributes: \.customAttributes,
            dayGranularDates: !exactSecond,
            // 2.16: dates take = < > only. The exact-second mode (Preview behaviour) adds != <= >=.
            dateOperators: exactSecond ? ["=", "!=", "<", ">", "<=", ">="] : ["=", "<", ">"],
            calendar: calendar(timezone: timezone))
    }
}
