/// Hosts that never leave the machine, the only ones plain http is allowed to: 127.0.0.0/8, ::1, localhost.
enum LoopbackHost {
    /// Whether `host` (as in a URL, IPv6 with or without brackets) is a loopback host.
    static func contains(_ host: String) -> Bool {
        var host = host.lowercased()
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" || host == "localhost." || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) }),
            octets.allSatisfy({ Int($0).map { $0 <= 255 } ?? false })
        else { return false }
        return octets[0] == "127"
    }
}
