import Synchronization

@testable import IntercomTriggers

/// An `HTTPTransport` that never answers: each request hangs until its task is cancelled (a wedged
/// connection, as far as the caller can tell).
final class HangingTransport: HTTPTransport {
    private let count = Mutex(0)

    /// Requests that reached the transport.
    var entered: Int { count.withLock { $0 } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        count.withLock { $0 += 1 }
        while true {
            try await Task.sleep(for: .seconds(3_600))
        }
    }
}
