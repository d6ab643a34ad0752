import CCurl

/// libcurl's process-wide setup, done once before any thread uses libcurl (`curl_global_init` is not
/// thread-safe itself; a `static let` runs it exactly once).
enum CurlGlobal {
    private static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK

    /// Runs `curl_global_init` if it has not run yet.
    static func initialize() {
        precondition(initialized, "curl_global_init failed")
    }
}
