/// Polls `condition` every `interval` until it holds; throws ``EventuallyTimeout`` after `timeout`.
///
/// A hang guard, not a timing assertion: pick a generous `timeout`. Use it wherever a test waits for
/// something another task or process does ("the request has got that far", "every event is delivered").
public func eventually(
    _ what: @autoclosure () -> String = "the condition", timeout: Duration = .seconds(30),
    interval: Duration = .milliseconds(2), _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while try await !condition() {
        guard clock.now < deadline else { throw EventuallyTimeout(what: what(), timeout: timeout) }
        try await Task.sleep(for: interval)
    }
}
