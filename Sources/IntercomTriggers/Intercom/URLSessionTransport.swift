import Dispatch
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `HTTPTransport` over Foundation's `URLSession` (libcurl on Linux).
///
/// On this toolchain the async `data(for:)` deadlocks when its task is cancelled
/// (swift-corelibs-foundation #5412), so requests run as completion-handler data tasks behind a
/// continuation, are bounded by their own timeout, and are never cancelled once on the wire.
/// Redirects are refused: the 3xx response itself is returned.
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession

    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        // libcurl's default of 6 connections per host would cap a webhook destination's concurrency.
        configuration.httpMaximumConnectionsPerHost = 256
        session = URLSession(configuration: configuration, delegate: RedirectRefuser(), delegateQueue: nil)
    }

    deinit {
        // Lets tasks still running complete; no new ones can start once the transport is gone.
        session.finishTasksAndInvalidate()
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let timeout = RetryPolicy.seconds(request.timeout)
        var urlRequest = URLRequest(
            url: request.url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        urlRequest.httpMethod = request.method.rawValue
        for header in request.headers { urlRequest.addValue(header.value, forHTTPHeaderField: header.name) }
        urlRequest.httpBody = request.body
        let session = self.session
        let outcome = Outcome()
        // A cancelled caller stops waiting at once; the task itself is left to finish (cancelling it is what
        // deadlocks) and its late result is dropped.
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard outcome.install(continuation) else { return }
                let task = session.dataTask(with: urlRequest) { data, response, error in
                    if let error {
                        let code = (error as? URLError)?.code
                        outcome.resume(
                            throwing: code == .timedOut
                                ? HTTPTransportError.timedOut
                                : HTTPTransportError.connection(error.localizedDescription))
                    } else if let response = response as? HTTPURLResponse {
                        let headers = response.allHeaderFields.compactMap {
                            key, value -> (name: String, value: String)? in
                            guard let name = key as? String else { return nil }
                            return (name, value as? String ?? "\(value)")
                        }
                        outcome.resume(
                            returning: HTTPResponse(status: response.statusCode, headers: headers, body: data ?? Data())
                        )
                    } else {
                        outcome.resume(throwing: HTTPTransportError.connection("no HTTP response"))
                    }
                }
                task.resume()
                // libcurl's timeout is per idle period; this bounds the whole exchange. The task is left
                // to finish on its own (cancelling it is what deadlocks); its late result is dropped.
                DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                    outcome.resume(throwing: HTTPTransportError.timedOut)
                }
            }
        } onCancel: {
            outcome.resume(throwing: CancellationError())
        }
    }

    /// Resumes the continuation exactly once: first of the completion handler, the deadline and the
    /// caller's cancellation wins.
    private final class Outcome: Sendable {
        private struct State {
            var continuation: CheckedContinuation<HTTPResponse, any Error>?
            var finished = false
        }
        private let state = Mutex(State())

        /// Keeps `continuation`; false (and resumed with `CancellationError`) when cancelled before.
        func install(_ continuation: CheckedContinuation<HTTPResponse, any Error>) -> Bool {
            let cancelled = state.withLock { state -> Bool in
                if state.finished { return true }
                state.continuation = continuation
                return false
            }
            if cancelled { continuation.resume(throwing: CancellationError()) }
            return !cancelled
        }

        func resume(returning response: HTTPResponse) {
            take()?.resume(returning: response)
        }

        func resume(throwing error: any Error) {
            take()?.resume(throwing: error)
        }

        private func take() -> CheckedContinuation<HTTPResponse, any Error>? {
            state.withLock { state in
                state.finished = true
                return state.continuation.take()
            }
        }
    }

    /// Refuses every redirect through the completion-handler delegate method (the only variant
    /// corelibs Foundation calls), so the 3xx response is delivered as is.
    private final class RedirectRefuser: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
        ) {
            completionHandler(nil)
        }
    }
}
