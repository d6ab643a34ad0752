/// Where the events of a page go: destination name → the topics it takes (`nil` = every topic).
///
/// Routing is decided where outbox rows are written (``StateStore/commitPage(_:routes:)``), from the
/// configured destinations; the trigger engine that classifies a page knows nothing of destinations.
public typealias OutboxRoutes = [String: Set<String>?]
