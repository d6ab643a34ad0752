/// A faithful in-memory Intercom REST API for tests, the demo and benchmarks.
public enum IntercomSimulatorInfo {
    /// The API versions the simulator accepts in `Intercom-Version` (the 2.16 spec's enum).
    public static let supportedVersions: Set<String> = Set(["1.0", "1.1", "1.2", "1.3", "1.4"])
        .union((0...16).map { "2.\($0)" })
}
