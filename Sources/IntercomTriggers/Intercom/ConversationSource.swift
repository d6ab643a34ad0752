/// How a conversation started (`conversation.source`).
public struct ConversationSource: Decodable, Sendable, Equatable {
    /// Who wrote the first message (`source.author`): a contact, an admin or a bot.
    public struct Author: Decodable, Sendable, Equatable {
        /// `user`, `lead`, `contact`, `admin`, `bot`, …
        public var type: String?
        public var id: String?
        public var name: String?
        public var email: String?

        public init(type: String?, id: String?, name: String? = nil, email: String? = nil) {
            self.type = type
            self.id = id
            self.name = name
            self.email = email
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            type = container.lenientString("type")
            id = container.lenientString("id")
            name = container.lenientString("name")
            email = container.lenientString("email")
        }
    }

    /// `conversation`, `email`, `push`, …
    public var type: String?
    public var id: String?
    /// e.g. `customer_initiated`, `admin_initiated`.
    public var deliveredAs: String?
    public var subject: String?
    public var author: Author?

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        type = container.lenientString("type")
        id = container.lenientString("id")
        deliveredAs = container.lenientString("delivered_as")
        subject = container.lenientString("subject")
        author = container.lenient(Author.self, "author")
    }
}
