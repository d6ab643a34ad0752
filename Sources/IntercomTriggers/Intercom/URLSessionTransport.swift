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
        return try await withCheckedThrowingContinuation { continuation in
            let outcome = Outcome(continuation)
            let task = session.dataTask(with: urlRequest) { data, response, error in
                if let error {
                    let code = (error as? URLError)?.code
                    outcome.resume(
                        throwing: code == .timedOut
                            ? HTTPTransportError.timedOut : HTTPTransportError.connection(error.localizedDescription))
                } else if let response = response as? HTTPURLResponse {
                    let headers = response.allHeaderFields.compactMap { key, value -> (name: String, value: String)? in
                        guard let name = key as? String else { return nil }
                        return (name, value as? String ?? "\(value)")
                    }
                    outcome.resume(
                        returning: HTTPResponse(status: response.statusCode, headers: headers, body: data ?? Data()))
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
    }

    /// Resumes the continuation exactly once: first of the completion handler and the deadline wins.
    private final class Outcome: Sendable {
        private let continuation: Mutex<CheckedContinuation<HTTPResponse, any Error>?>

        init(_ continuation: CheckedContinuation<HTTPResponse, any Error>) {
            self.continuation = Mutex(continuation)
        }

        func resume(returning response: HTTPResponse) {
            continuation.withLock { $0.take() }?.resume(returning: response)
        }

        func resume(throwing error: any Error) {
            continuation.withLock { $0.take() }?.resume(throwing: error)
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
