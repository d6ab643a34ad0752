import Foundation
import Synchronization

@testable import IntercomTriggers

/// A scripted `HTTPTransport`: answers each request with the next scripted outcome (the last one
/// repeats) and records every request.
final class FakeTransport: HTTPTransport {
    enum Outcome: Sendable {
        case response(HTTPResponse)
        case failure(HTTPTransportError)
    }

    private let script: Mutex<[Outcome]>
    private let recorded = Mutex<[HTTPRequest]>([])

    init(_ outcomes: [Outcome]) { script = Mutex(outcomes) }

    /// Answers every request with `status` and `body`.
    convenience init(status: Int = 200, body: String, headers: [(name: String, value: String)] = []) {
        self.init([.ok(status: status, body, headers: headers)])
    }

    var requests: [HTTPRequest] { recorded.withLock { $0 } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        recorded.withLock { $0.append(request) }
        let outcome = script.withLock { script in script.count > 1 ? script.removeFirst() : script[0] }
        switch outcome {
        case .response(let response): return response
        case .failure(let error): throw error
        }
    }
}

extension FakeTransport.Outcome {
    static func ok(status: Int = 200, _ body: String, headers: [(name: String, value: String)] = []) -> Self {
        .ok(status: status, bytes: Data(body.utf8), headers: headers)
    }

    /// A body of any bytes, also ones that are not UTF-8.
    static func ok(status: Int = 200, bytes: Data, headers: [(name: String, value: String)] = []) -> Self {
        .response(HTTPResponse(status: status, headers: headers, body: bytes))
    }

    static func error(_ status: Int, code: String, message: String, headers: [(name: String, value: String)] = [])
        -> Self
    {
        .ok(
            status: status,
            #"{"type":"error.list","request_id":"req-1","errors":[{"code":"\#(code)","message":"\#(message)"}]}"#,
            headers: headers)
    }
}
