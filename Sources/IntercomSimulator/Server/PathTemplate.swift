/// Turns a request path into the template it was routed by, for request statistics:
/// `/contacts/6762f0d01bb69f9f2193bb7d/tags` → `/contacts/{id}/tags`.
public enum PathTemplate {
    /// A segment is an id when it holds anything but lowercase letters and underscores (Intercom's fixed
    /// path words, such as `search`, `find_by_external_id` or `scroll`, never do), or when it follows
    /// `find_by_external_id`, whose argument is free text.
    public static func template(for path: String) -> String {
        var previous: Substring = ""
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map { segment -> Substring in
            defer { previous = segment }
            if segment.isEmpty { return segment }
            let isWord = segment.allSatisfy { ("a"..."z").contains($0) || $0 == "_" }
            return isWord && previous != "find_by_external_id" ? segment : "{id}"
        }
        return segments.joined(separator: "/")
    }
}
