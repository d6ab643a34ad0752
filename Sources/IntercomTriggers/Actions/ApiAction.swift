/// One `intercom-triggerd api …` action, already validated: performing it sends requests and writes
/// the results through the context.
public protocol ApiAction: Sendable {
    func perform(in context: ActionContext) async throws
}
