import Foundation

/// Bulk creation of realistic records, searchable at once (they are "old" data).
extension WorkspaceState {
    /// A time after `start` by up to `span` seconds, uniformly, and not after `now`. Drawing past `now` and clamping
    /// would pile records up at `now` (a third of the contacts updated "just now", half the conversations created
    /// then), which no workspace looks like and every lookback re-reads.
    static func moment(
        after start: Int, within span: Int, before now: Int, using random: inout SeededGenerator
    ) -> Int {
        start + Int.random(in: 0...max(0, min(span, now - start)), using: &random)
    }

    /// Adds records spread over the 30 days before `now`; the same `seed` gives the same records.
    mutating func seed(
        contacts contactCount: Int, conversations conversationCount: Int, companies companyCount: Int,
        seed: UInt64, now: Double
    ) {
        var random = SeededGenerator(seed: seed &+ UInt64(serial))
        let nowSeconds = Int(now.rounded(.down))
        let window = 30 * 86_400

        var newCompanyIDs: [String] = []
        for _ in 0..<max(companyCount, 0) {
            let created = nowSeconds - Int.random(in: 0...window, using: &random)
            let word = random.pick(SeedCatalog.companyWords)
            let suffix = random.pick(SeedCatalog.companySuffixes)
            let number = serial + 1
            let company = CompanyRecord(
                id: objectID(at: created), companyID: "cmp_\(String(format: "%06d", number))",
                name: "\(word) \(suffix)",
                plan: random.pick(SeedCatalog.plans), size: Int.random(in: 2...5_000, using: &random),
                website: "https://\(word.lowercased())-\(suffix.lowercased()).example.com",
                industry: random.pick(SeedCatalog.industries), monthlySpend: Int.random(in: 0...20_000, using: &random),
                sessionCount: Int.random(in: 0...500, using: &random),
                // Seeded companies stand for companies with users (Intercom only lists those).
                userCount: Int.random(in: 1...40, using: &random),
                remoteCreatedAt: created - Int.random(in: 0...(365 * 86_400), using: &random), createdAt: created,
                updatedAt: Self.moment(after: created, within: 86_400, before: nowSeconds, using: &random),
                lastRequestAt: min(nowSeconds, created + Int.random(in: 0...window, using: &random)))
            insertCompany(company)
            newCompanyIDs.append(company.id)
        }

        var newContacts: [ContactRecord] = []
        newContacts.reserveCapacity(max(contactCount, 0))
        for _ in 0..<max(contactCount, 0) {
            let created = nowSeconds - Int.random(in: 0...window, using: &random)
            let updated =
                random.chance(0.4)
                ? created : Self.moment(after: created, within: window, before: nowSeconds, using: &random)
            var contact = ContactRecord(
                id: objectID(at: created), role: random.chance(0.7) ? "user" : "lead", createdAt: created,
                updatedAt: updated)
            let first = random.pick(SeedCatalog.firstNames)
            let last = random.pick(SeedCatalog.lastNames)
            let handle = "\(first).\(last)".lowercased().filter { $0.isLetter || $0 == "." }
            if contact.role == "user" || random.chance(0.5) {
                contact.email = "\(handle).\(serial)@\(random.pick(SeedCatalog.emailDomains))"
            }
            contact.name = contact.role == "user" || random.chance(0.3) ? "\(first) \(last)" : nil
            if contact.role == "user" {
                contact.externalID = "usr_\(String(format: "%07d", serial))"
                contact.signedUpAt = created
            }
            if random.chance(0.3) { contact.phone = "+1 415 555 \(String(format: "%04d", serial % 10_000))" }
            let place = random.pick(SeedCatalog.places)
            contact.location = .init(
                country: place.2, region: place.1, city: place.0, countryCode: place.3, continentCode: place.4)
            let browser = random.pick(SeedCatalog.browsers)
            contact.browser = browser.0
            contact.browserVersion = browser.1
            contact.browserLanguage = random.pick(SeedCatalog.languages)
            contact.os = random.pick(SeedCatalog.systems)
            contact.lastSeenAt = min(nowSeconds, updated + Int.random(in: 0...3_600, using: &random))
            contact.customAttributes["plan"] = .string(random.pick(SeedCatalog.plans))
            contact.customAttributes["seats"] = .int(Int.random(in: 1...200, using: &random))
            if random.chance(0.15) { contact.twitterHandle = handle.replacingOccurrences(of: ".", with: "_") }
            if !newCompanyIDs.isEmpty, contact.role == "user", random.chance(0.6) {
                let companyID = random.pick(newCompanyIDs)
                contact.companyIDs = [companyID]
                companies[companyID]?.userCount += 1
            }
            register(contact, replacing: nil)
            newContacts.append(contact)
        }
        contacts.bulkInsert(newContacts)

        let pool = newContacts.isEmpty ? contacts.keys.compactMap { contacts.current($0) } : newContacts
        guard !pool.isEmpty else { return }
        var newConversations: [ConversationRecord] = []
        newConversations.reserveCapacity(max(conversationCount, 0))
        for _ in 0..<max(conversationCount, 0) {
            let contact = random.pick(pool)
            let created = Self.moment(after: contact.createdAt, within: window, before: nowSeconds, using: &random)
            let author = ConversationRecord.Author(
                type: contact.role, id: contact.id, name: contact.name, email: contact.email)
            var conversation = ConversationRecord(
                id: nextConversationNumber(), createdAt: created, updatedAt: created,
                source: .init(
                    id: nextMessageNumber(), deliveredAs: "customer_initiated", subject: "",
                    body: Self.html(random.pick(SeedCatalog.openers)), author: author, url: nil))
            conversation.contacts = [.init(id: contact.id, externalID: contact.externalID)]
            conversation.waitingSince = created
            conversation.priority = random.chance(0.1) ? "high" : "none"
            if random.chance(0.6) {
                let admin = random.pick(admins)
                let replyAt = Self.moment(
                    after: min(created + 60, nowSeconds), within: 86_400, before: nowSeconds, using: &random)
                conversation.parts.append(
                    .init(
                        id: nextPartNumber(), partType: "comment",
                        body: Self.html(random.pick(SeedCatalog.adminReplies)),
                        createdAt: replyAt, author: admin.author, state: "open"))
                conversation.teammateIDs = [admin.id]
                conversation.adminAssigneeID = Int(admin.id) ?? 0
                conversation.waitingSince = nil
                conversation.updatedAt = replyAt
                if random.chance(0.5) {
                    conversation.open = false
                    conversation.state = "closed"
                    conversation.read = true
                }
            }
            newConversations.append(conversation)
        }
        conversations.bulkInsert(newConversations)
    }
}
