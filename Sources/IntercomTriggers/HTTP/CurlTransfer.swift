import CCurl
import Foundation
import Synchronization

/// One request on its way through a ``CurlDriver``: the easy handle set up for it, what it has received,
/// and the caller waiting for it.
///
/// The caller's task sets it up and hands it to the driver; from then on only the driver's thread touches it
/// (libcurl's callbacks run there), until ``complete(with:)`` resumes the caller once.
final class CurlTransfer: @unchecked Sendable {
    let easy: CurlHandle
    private let bodyLimit: HTTPBodyLimit
    /// The request and its proxy, for the credentials an error must not repeat (worked out only on an error).
    private let request: HTTPRequest
    private let proxy: CurlProxyChoice
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
    private var body = Data()
    /// Set when the body went past the limit and the transfer was stopped there.
    private var overflowed = false
    private var continuation: CheckedContinuation<HTTPResponse, any Error>?
    private let cancelled = Atomic(false)

    /// Sets `easy` up for `request`, through `proxy`. Throws for a request libcurl must not be given (a header
    /// with a line break).
    init(request: HTTPRequest, proxy: CurlProxyChoice, easy: CurlHandle) throws {
        self.easy = easy
        self.bodyLimit = request.bodyLimit
        self.request = request
        self.proxy = proxy
        errorBuffer.initialize(to: 0)
        do {
            try configure(request, proxy: proxy)
        } catch {
            release()
            throw error
        }
    }

    deinit {
        errorBuffer.deallocate()
    }

    /// Whether the caller gave up on the transfer.
    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    /// Parks the caller until the driver completes the transfer.
    func wait(on driver: CurlDriver) async throws -> HTTPResponse {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                self.continuation = continuation
                driver.start(self)
            }
        } onCancel: {
            cancelled.store(true, ordering: .releasing)
            driver.cancel(self)
        }
    }

    /// Resumes the caller with `outcome` and frees what the transfer held. The driver calls it once.
    func complete(with outcome: Result<HTTPResponse, any Error>) {
        release()
        let continuation = self.continuation
        self.continuation = nil
        continuation?.resume(with: outcome)
    }

    private func release() {
        curl_slist_free_all(headerList)
        headerList = nil
    }

    // MARK: - Setting up

    private func configure(_ request: HTTPRequest, proxy: CurlProxyChoice) throws {
        let handle = easy.pointer
        let context = Unmanaged.passUnretained(self).toOpaque()
        try set(CURLOPT_URL, request.url.absoluteString)
        // Only http and https, also for anything a server might point to.
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_FOLLOWLOCATION, 0)
        try set(CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout))
        try set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.timeout))
        try set(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)
        // A new https transfer waits for a connection that may multiplex (HTTP/2) rather than opening another;
        // plain http is HTTP/1.1, one request per connection, so waiting would only queue it.
        try set(CURLOPT_PIPEWAIT, request.url.scheme?.lowercased() == "https" ? 1 : 0)
        try set(CURLOPT_SSLVERSION, Int(CURL_SSLVERSION_TLSv1_2))
        try set(CURLOPT_SSL_VERIFYPEER, 1)
        try set(CURLOPT_SSL_VERIFYHOST, 2)
        try set(CURLOPT_TCP_KEEPALIVE, 1)
        let connection = request.connection
        if let caFile = connection.caFile { try set(CURLOPT_CAINFO, caFile) }
        // libcurl keeps a parsed CA store for a day by default; a minute lets a CA file rewritten in place
        // count for new connections soon (kept-alive ones are already verified).
        try set(CURLOPT_CA_CACHE_TIMEOUT, 60)
        if let certificate = connection.clientCertificateFile {
            try set(CURLOPT_SSLCERT, certificate)
            try set(CURLOPT_SSLCERTTYPE, "PEM")
        }
        if let key = connection.clientKeyFile {
            try set(CURLOPT_SSLKEY, key)
            try set(CURLOPT_SSLKEYTYPE, "PEM")
        }
        try set(CURLOPT_PROXY, proxy.proxy)
        try set(CURLOPT_NOPROXY, proxy.noProxy)
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        try check(ccurl_easy_setopt_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteBody))
        try check(ccurl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context))

        switch (request.method, request.body) {
        case (.get, nil):
            try set(CURLOPT_HTTPGET, 1)
        case (.post, _):
            try set(CURLOPT_POST, 1)
        default:
            try set(CURLOPT_CUSTOMREQUEST, request.method.rawValue)
        }
        if let body = request.body {
            try check(ccurl_easy_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            // libcurl copies the bytes: the request's Data need not outlive this call.
            if body.isEmpty {
                try set(CURLOPT_COPYPOSTFIELDS, "")
            } else {
                try body.withUnsafeBytes { bytes in
                    let base = bytes.baseAddress!.assumingMemoryBound(to: CChar.self)
                    try check(ccurl_easy_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, base))
                }
            }
        }
        var list: UnsafeMutablePointer<curl_slist>?
        for (name, value) in request.headers {
            guard Self.isClean(name), Self.isClean(value), !name.isEmpty else {
                curl_slist_free_all(list)
                throw HTTPTransportError.notConnected("header \(Self.printable(name)) has a line break or NUL")
            }
            list = "\(name): \(value)".withCString { curl_slist_append(list, $0) }
        }
        // libcurl would otherwise wait for a `100 Continue` before bodies over 1 MiB.
        if request.header("Expect") == nil { list = "Expect:".withCString { curl_slist_append(list, $0) } }
        headerList = list
        try check(ccurl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, list))
    }

    private func set(_ option: CURLoption, _ value: Int) throws {
        try check(ccurl_easy_setopt_long(easy.pointer, option, value))
    }

    private func set(_ option: CURLoption, _ value: String) throws {
        // Not the implicit conversion to a C string, which copies the text into a new array every time: a native
        // string already ends in a NUL (libcurl copies string options).
        try value.withCString { try check(ccurl_easy_setopt_string(easy.pointer, option, $0)) }
    }

    private func check(_ code: CURLcode) throws {
        guard code == CURLE_OK else {
            throw HTTPTransportError.notConnected(
                "libcurl refused an option: \(String(cString: curl_easy_strerror(code)))")
        }
    }

    // MARK: - Receiving

    /// libcurl's write callback: keeps the body up to the limit, then stops the transfer.
    fileprivate func receive(_ bytes: UnsafeRawBufferPointer) -> Int {
        let limit: Int
        switch bodyLimit {
        case .keepFirst(let bytes), .failAbove(let bytes): limit = bytes
        }
        let room = limit - body.count
        if bytes.count > room {
            body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes.prefix(max(0, room))))
            overflowed = true
            return 0  // fewer bytes than given: libcurl ends the transfer with CURLE_WRITE_ERROR
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    /// The caller's outcome for a transfer libcurl finished with `code`.
    func outcome(of code: CURLcode) -> Result<HTTPResponse, any Error> {
        if code == CURLE_OK || (code == CURLE_WRITE_ERROR && overflowed) {
            if overflowed, case .failAbove(let limit) = bodyLimit {
                return .failure(HTTPTransportError.bodyTooLarge(limit))
            }
            var status = 0
            ccurl_easy_getinfo_long(easy.pointer, CURLINFO_RESPONSE_CODE, &status)
            return .success(HTTPResponse(status: status, headers: responseHeaders(), body: body))
        }
        return .failure(error(for: code))
    }

    /// The final response's header fields, as libcurl parsed them (1xx and trailers left out).
    private func responseHeaders() -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        var previous: UnsafeMutablePointer<curl_header>?
        while let header = curl_easy_nextheader(easy.pointer, UInt32(CURLH_HEADER), -1, previous) {
            headers.append((String(cString: header.pointee.name), String(cString: header.pointee.value)))
            previous = header
        }
        return headers
    }

    /// The transport error for a failed transfer: `notConnected` while nothing of the request was sent (name
    /// lookup, connecting, the proxy, TLS), `timedOut` for the deadline after that, `connection` otherwise.
    private func error(for code: CURLcode) -> HTTPTransportError {
        var sentAt: curl_off_t = 0
        ccurl_easy_getinfo_off(easy.pointer, CURLINFO_PRETRANSFER_TIME_T, &sentAt)
        let detail = errorBuffer.pointee != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        let message = redact(detail)
        if sentAt == 0 { return .notConnected(message) }
        if code == CURLE_OPERATION_TIMEDOUT { return .timedOut }
        return .connection(message)
    }

    private func redact(_ text: String) -> String {
        Self.secrets(of: request, proxy: proxy).reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }

    // MARK: - Helpers

    /// Values an error message must not repeat: credentials in headers, in the URL and in the proxy given to
    /// libcurl (from the configuration or the environment; libcurl quotes a proxy URL it cannot parse whole).
    private static func secrets(of request: HTTPRequest, proxy: CurlProxyChoice) -> [String] {
        var secrets: [String] = []
        for (name, value) in request.headers where ["authorization", "proxy-authorization"].contains(name.lowercased())
        {
            secrets.append(value)
            if let space = value.firstIndex(of: " ") { secrets.append(String(value[value.index(after: space)...])) }
        }
        secrets += passwords(in: request.url.absoluteString) + passwords(in: proxy.proxy)
        return secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    /// The password of `url`'s user information, as written and percent-decoded, found by plain string work so
    /// that a URL Foundation would not parse is covered too: after the scheme's `//`, before the last `@` of
    /// the authority, after the first `:`.
    static func passwords(in url: String) -> [String] {
        let afterScheme = url.range(of: "://").map { url[$0.upperBound...] } ?? url[...]
        let authority = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return [] }
        let password = String(authority[authority.index(after: colon)..<at])
        return [password, password.removingPercentEncoding].compactMap { $0 }.filter { !$0.isEmpty }
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000)
        guard !overflow else { return Int.max }
        return Int(clamping: max(1, product.addingReportingOverflow(attoseconds / 1_000_000_000_000_000).partialValue))
    }

    private static func isClean(_ text: String) -> Bool {
        !text.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }
    }

    private static func printable(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 ? "?" : Character($0) })
    }
}

/// libcurl's write callback (a C function): hands the bytes to the transfer named by the context pointer.
private let curlWriteBody: ccurl_data_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.receive(UnsafeRawBufferPointer(start: data, count: size * count))
}
