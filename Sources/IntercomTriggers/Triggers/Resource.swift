/// An Intercom resource the poller reads with one search stream per cycle.
public enum Resource: String, Sendable, CaseIterable, Codable {
    case contacts
    case conversations
}
