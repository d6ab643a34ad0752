/// Which proxy a request goes through.
public enum HTTPProxy: Sendable, Hashable {
    /// `HTTPS_PROXY` / `https_proxy` for https URLs, `HTTP_PROXY` / `http_proxy` for http ones, none for hosts
    /// `NO_PROXY` / `no_proxy` names: what every Unix tool honours (the daemon's environment).
    case environment
    /// Straight to the server, whatever the environment says.
    case direct
    /// Through this proxy (`http://[user:password@]host:port`; https URLs tunnel with `CONNECT`).
    case url(String)
}
