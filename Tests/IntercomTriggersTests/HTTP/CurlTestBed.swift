import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// What the libcurl transport's TLS, proxy and framing tests share: a transport over a driver of the test's
/// own (stopped at the end), and a ``ScriptedHTTPServer`` reached over plain http or through a
/// ``TLSTerminator`` with a certificate set generated for the test.
enum CurlTestBed {
    /// Runs `body` with a `CurlTransport` on a new driver (its own connection cache) reading proxy variables
    /// from `environment` only; stops the driver afterwards.
    @discardableResult static func withDriver<T: Sendable>(
        environment: [String: String] = [:], _ body: (CurlTransport, CurlDriver) async throws -> T
    ) async throws -> T {
        let driver = CurlDriver()
        do {
            let result = try await body(CurlTransport(driver: driver, environment: environment), driver)
            await driver.stop()
            return result
        } catch {
            await driver.stop()
            throw error
        }
    }

    /// ``withDriver(environment:_:)`` for a body that needs only the transport.
    static func withTransport<T: Sendable>(
        environment: [String: String] = [:], _ body: (CurlTransport) async throws -> T
    ) async throws -> T {
        try await withDriver(environment: environment) { transport, _ in try await body(transport) }
    }

    /// A backend answering per `script`, behind nginx terminating TLS per `mode` with the certificate
    /// `certificate` picks (the good server certificate by default) and, with `requireClientCertificate`,
    /// demanding one signed by the set's client CA.
    static func withHTTPSReceiver<T: Sendable>(
        mode: TLSTerminatorConfiguration.Mode = .stream,
        certificate: @Sendable (TestCertificates) -> TestCertificate = { $0.server },
        requireClientCertificate: Bool = false, protocols: [String] = ["TLSv1.2", "TLSv1.3"],
        script: @escaping ScriptedHTTPServer.Script,
        _ body: (ScriptedHTTPServer, TLSTerminator, TestCertificates) async throws -> T
    ) async throws -> T {
        try await TestCertificates.withGenerated { certificates in
            try await ScriptedHTTPServer.withRunning(script: script) { server in
                let configuration = TLSTerminatorConfiguration(
                    mode: mode, backendPort: URL(string: server.baseURL)!.port!,
                    certificate: certificate(certificates),
                    clientCAFile: requireClientCertificate ? certificates.clientCAFile : nil, protocols: protocols)
                return try await TLSTerminator.withRunning(configuration) { terminator in
                    try await body(server, terminator, certificates)
                }
            }
        }
    }

    /// A request to `url` trusting `caFile` (none: the system store).
    static func request(
        _ url: URL, method: HTTPMethod = .post, body: String? = "{}", caFile: String?,
        timeout: Duration = .seconds(30), proxy: HTTPProxy = .direct, bodyLimit: HTTPBodyLimit = .webhook
    ) -> HTTPRequest {
        HTTPRequest(
            method: method, url: url, headers: body == nil ? [] : [("Content-Type", "application/json")],
            body: body.map { Data($0.utf8) }, timeout: timeout,
            connection: HTTPConnectionSettings(caFile: caFile, proxy: proxy), bodyLimit: bodyLimit)
    }

    /// The message of a `connection` or `notConnected` error (nil for the other cases and other errors).
    static func message(_ error: (any Error)?) -> String? {
        switch error as? HTTPTransportError {
        case .connection(let message), .notConnected(let message): message
        default: nil
        }
    }

    /// Whether `error` is `notConnected`.
    static func isNotConnected(_ error: (any Error)?) -> Bool {
        if case .notConnected = error as? HTTPTransportError { return true }
        return false
    }
}

/// Plain http straight to the ``ScriptedHTTPServer``, or https through a stream-mode ``TLSTerminator`` in
/// front of it: the framing tests run over both.
enum ReceiverScheme: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case http, https
    var testDescription: String { rawValue }

    /// Runs `body` with a backend answering per `script`, the base URL to reach it by this scheme, and the
    /// CA file to trust (https only).
    func withReceiver<T: Sendable>(
        script: @escaping ScriptedHTTPServer.Script,
        _ body: (ScriptedHTTPServer, _ baseURL: String, _ caFile: String?) async throws -> T
    ) async throws -> T {
        switch self {
        case .http:
            try await ScriptedHTTPServer.withRunning(script: script) { server in
                try await body(server, server.baseURL, nil)
            }
        case .https:
            try await CurlTestBed.withHTTPSReceiver(script: script) { server, terminator, certificates in
                try await body(server, terminator.baseURL, certificates.caFile)
            }
        }
    }
}
