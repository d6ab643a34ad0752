extension DaemonConfiguration {
    /// `[metrics]`: the optional metrics endpoint.
    public struct Metrics: Sendable, Equatable {
        /// Where the metrics endpoint listens (`listen = "host:port"`).
        public struct Listen: Sendable, Equatable, CustomStringConvertible {
            /// A name or address; IPv6 without brackets.
            public var host: String
            public var port: Int

            public init(host: String, port: Int) {
                self.host = host
                self.port = port
            }

            /// `host:port`, IPv6 hosts in brackets.
            public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

            /// Reads `host:port` or `[v6]:port` with a port in 1…65535; nil otherwise.
            public init?(parsing text: String) {
                let host: Substring
                let port: Substring
                if text.hasPrefix("[") {
                    guard let close = text.firstIndex(of: "]"), text[close...].hasPrefix("]:") else { return nil }
                    host = text[text.index(after: text.startIndex)..<close]
                    port = text[text.index(close, offsetBy: 2)...]
                } else {
                    guard let colon = text.lastIndex(of: ":") else { return nil }
                    host = text[..<colon]
                    port = text[text.index(after: colon)...]
                    guard !host.contains(":") else { return nil }
                }
                guard !host.isEmpty, !host.contains(where: \.isWhitespace), port.allSatisfy(\.isASCII),
                    port.allSatisfy(\.isNumber), let number = Int(port), (1...65_535).contains(number)
                else { return nil }
                self.init(host: String(host), port: number)
            }
        }

        /// Nil: no metrics endpoint.
        public var listen: Listen?

        public init(listen: Listen? = nil) {
            self.listen = listen
        }
    }
}
