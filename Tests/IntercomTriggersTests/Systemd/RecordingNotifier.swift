import Synchronization

@testable import IntercomTriggers

/// A ``ServiceNotifier`` that keeps every message, for tests of what is sent when.
final class RecordingNotifier: ServiceNotifier {
    private let recorded = Mutex<[String]>([])

    func notify(_ state: String) {
        recorded.withLock { $0.append(state) }
    }

    /// Every message so far, in order.
    var messages: [String] { recorded.withLock { $0 } }
}
