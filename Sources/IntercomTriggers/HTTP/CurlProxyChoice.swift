/// What libcurl is told about proxies for one request: `CURLOPT_PROXY` (empty: none) and `CURLOPT_NOPROXY`
/// (the hosts that bypass it, matched by libcurl).
struct CurlProxyChoice: Sendable, Equatable {
    var proxy: String
    var noProxy: String

    /// Straight to the server.
    static let direct = CurlProxyChoice(proxy: "", noProxy: "")

    /// The choice for a request to a URL with `scheme` under `setting`, with the proxy variables of
    /// `environment`: lower case first (as curl and wget read them), then upper case, then `ALL_PROXY`.
    /// Unlike libcurl's own reading, `HTTP_PROXY` in upper case counts: the daemon is no CGI program, and
    /// operators set it as they set `HTTPS_PROXY`.
    static func choose(
        for setting: HTTPProxy, scheme: String, environment: [String: String]
    ) -> CurlProxyChoice {
        switch setting {
        case .direct:
            return .direct
        case .url(let url):
            return CurlProxyChoice(proxy: url, noProxy: "")
        case .environment:
            func variable(_ name: String) -> String? {
                for key in [name.lowercased(), name.uppercased()] {
                    if let value = environment[key], !value.isEmpty { return value }
                }
                return nil
            }
            let proxy = variable(scheme.lowercased() == "https" ? "https_proxy" : "http_proxy") ?? variable("all_proxy")
            return CurlProxyChoice(proxy: proxy ?? "", noProxy: variable("no_proxy") ?? "")
        }
    }
}
