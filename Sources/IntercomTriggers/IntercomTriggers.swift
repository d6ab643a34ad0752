/// The daemon's library: everything `intercom-triggerd` does lives here, by concern.
public enum IntercomTriggers {
    /// The version reported in `User-Agent` and `--version`.
    public static let version = "0.1.0"
}
