/// The pages of a list or search, fetched one at a time as they are iterated, following the
/// cursor each page names until a page names none.
public struct PageSequence<Item: IntercomRecord>: AsyncSequence, Sendable {
    public typealias Element = Page<Item>
    public typealias Failure = any Error

    /// Fetches the page for a cursor (nil: the first page).
    let fetch: @Sendable (String?) async throws -> Page<Item>
    /// The cursor of the page after this one, or nil if it is the last.
    let nextCursor: @Sendable (Page<Item>) -> String?
    /// Whether every page may name the same cursor (the companies scroll hands back one `scroll_param` for the
    /// whole scroll and ends with an empty page); otherwise a repeated cursor is an error, not a loop.
    let cursorRepeats: Bool

    init(
        fetch: @escaping @Sendable (String?) async throws -> Page<Item>,
        nextCursor: @escaping @Sendable (Page<Item>) -> String? = { $0.nextCursor }, cursorRepeats: Bool = false
    ) {
        self.fetch = fetch
        self.nextCursor = nextCursor
        self.cursorRepeats = cursorRepeats
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(sequence: self) }

    /// Fetches lazily; ends after the page without a next cursor.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let sequence: PageSequence
        var cursor: String?
        var finished = false

        init(sequence: PageSequence) { self.sequence = sequence }

        public mutating func next() async throws -> Page<Item>? {
            guard !finished else { return nil }
            let page: Page<Item>
            do {
                page = try await sequence.fetch(cursor)
            } catch {
                finished = true
                throw error
            }
            guard let next = sequence.nextCursor(page), !next.isEmpty else {
                finished = true
                return page
            }
            // A server that hands back the cursor it was given would make this loop forever.
            guard next != cursor || sequence.cursorRepeats else {
                finished = true
                throw IntercomError.invalidResponse("the next-page cursor repeats the current one")
            }
            cursor = next
            return page
        }
    }
}
