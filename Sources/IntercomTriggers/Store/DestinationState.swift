import GRDB

/// Whether a destination is disabled (e.g. after HTTP 410) and why.
public struct DestinationState: Sendable, Hashable {
    /// The destination's configured name.
    public var name: String
    /// When it was disabled, or `nil` when it is enabled.
    public var disabledAt: Int?
    /// Why it was disabled.
    public var disabledReason: String?

    /// Whether the destination's lane should stay stopped.
    public var isDisabled: Bool { disabledAt != nil }

    /// Creates a destination state.
    public init(name: String, disabledAt: Int? = nil, disabledReason: String? = nil) {
        self.name = name
        self.disabledAt = disabledAt
        self.disabledReason = disabledReason
    }
}

extension DestinationState {
    /// Decodes a `destination_state` row.
    init(row: Row) {
        self.init(name: row["name"], disabledAt: row["disabled_at"], disabledReason: row["disabled_reason"])
    }
}
