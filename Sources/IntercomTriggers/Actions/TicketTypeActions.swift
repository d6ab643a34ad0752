/// `api ticket-types …`: the workspace's ticket types, whose ids `api tickets create --ticket-type-id` takes.
public enum TicketTypeActions {
    /// `GET /ticket_types`: every ticket type with its attributes and states, printed as Intercom's list
    /// (Intercom does not page it).
    public static func list() -> any ApiAction {
        RequestAction(.get, "/ticket_types")
    }
}
