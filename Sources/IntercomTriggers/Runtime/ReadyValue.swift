import Synchronization

/// A value set once (e.g. the port a server bound) that tasks can wait for, or a failure when it will never
/// come. Later calls to `succeed`/`fail` are ignored.
public final class ReadyValue<Value: Sendable>: Sendable {
    private enum State {
        case waiting([CheckedContinuation<Value, any Error>])
        case done(Result<Value, any Error>)
    }

    private let state = Mutex<State>(.waiting([]))

    /// Creates a value nobody has set yet.
    public init() {}

    /// Waits for the value, or throws the failure.
    public func wait() async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let result = state.withLock { state -> Result<Value, any Error>? in
                switch state {
                case .waiting(let waiting):
                    state = .waiting(waiting + [continuation])
                    return nil
                case .done(let result):
                    return result
                }
            }
            if let result { continuation.resume(with: result) }
        }
    }

    /// Sets the value and wakes every waiter (ignored once set or failed).
    public func succeed(_ value: Value) { finish(.success(value)) }

    /// Fails every waiter, now and later (ignored once set or failed).
    public func fail(_ error: any Error) { finish(.failure(error)) }

    private func finish(_ result: Result<Value, any Error>) {
        let waiting = state.withLock { state -> [CheckedContinuation<Value, any Error>] in
            guard case .waiting(let waiting) = state else { return [] }
            state = .done(result)
            return waiting
        }
        for continuation in waiting { continuation.resume(with: result) }
    }
}
