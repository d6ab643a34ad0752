import Foundation

/// Polls `condition` every `interval` until it holds; throws `message` after `timeout` (a hang guard, not a
/// timing assertion: pick a generous timeout).
func waitUntil(
    _ message: @autoclosure () -> String, timeout: Duration = .seconds(60), interval: Duration = .milliseconds(100),
    _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while try await !condition() {
        guard clock.now < deadline else { throw EndToEndError("Timed out after \(timeout): \(message())") }
        try await Task.sleep(for: interval)
    }
}
