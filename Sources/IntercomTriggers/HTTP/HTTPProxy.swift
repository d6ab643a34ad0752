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

extension HTTPProxy: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `environment`, `direct`, or the URL with its password as `***`: a proxy's password never reaches a log
    /// line, an error or a test failure message through its description.
    public var description: String { DaemonConfiguration.redacted(self) }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["proxy": description]) }
}
