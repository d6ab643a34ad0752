import Synchronization

/// Runs an operation that may never end — neither answer nor honour cancellation — and gives its caller an answer
/// anyway: the operation's result, or an error once the deadline passes or the caller is cancelled, without waiting
/// for the operation itself.
///
/// A query sent on a connection that PostgreSQL's restart has just cut can wait forever in postgres-nio (its future
/// is never completed and it has no cancellation handler); a task group would wait for such a child too, so the
/// operation runs in a task of its own that is cancelled and left behind. Leaving it costs a suspended task, not a
/// thread.
enum DeadlineRace {
    /// What `operation` returned or threw, or the error `watchdog` returns first (it runs beside the operation,
    /// sleeping until it decides to give up, and is cancelled — it throws — when the operation ends);
    /// `CancellationError` when the caller is cancelled first.
    static func run<T: Sendable>(
        operation: @escaping @Sendable () async throws -> T,
        watchdog: @escaping @Sendable () async throws -> any Error
    ) async throws -> T {
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.start(continuation)
                let worker = Task {
                    let result: Result<T, any Error>
                    do { result = .success(try await operation()) } catch { result = .failure(error) }
                    race.finish(with: result)
                }
                let timer = Task {
                    if let error = try? await watchdog() { race.finish(with: .failure(error)) }
                }
                race.track(worker: worker, timer: timer)
            }
        } onCancel: {
            race.finish(with: .failure(CancellationError()))
        }
    }

    /// The continuation the first outcome resumes, and the two tasks that race for it.
    private final class Race<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T, any Error>?
            /// An outcome that came before the continuation was stored (a cancelled caller).
            var early: Result<T, any Error>?
            var worker: Task<Void, Never>?
            var timer: Task<Void, Never>?
            var finished = false
        }

        private let state = Mutex(State())

        func start(_ continuation: CheckedContinuation<T, any Error>) {
            let early = state.withLock { state -> Result<T, any Error>? in
                if let early = state.early { return early }
                state.continuation = continuation
                return nil
            }
            if let early { continuation.resume(with: early) }
        }

        func track(worker: Task<Void, Never>, timer: Task<Void, Never>) {
            let finished = state.withLock { state -> Bool in
                state.worker = worker
                state.timer = timer
                return state.finished
            }
            if finished {
                worker.cancel()
                timer.cancel()
            }
        }

        /// Resumes the caller with the first outcome; later ones are dropped. Whatever still runs is cancelled.
        func finish(with result: Result<T, any Error>) {
            let (continuation, worker, timer) = state.withLock { state in
                guard !state.finished else {
                    return (CheckedContinuation<T, any Error>?.none, Task<Void, Never>?.none, Task<Void, Never>?.none)
                }
                state.finished = true
                if state.continuation == nil { state.early = result }
                defer { state.continuation = nil }
                return (state.continuation, state.worker, state.timer)
            }
            worker?.cancel()
            timer?.cancel()
            continuation?.resume(with: result)
        }
    }
}
