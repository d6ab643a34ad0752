import Foundation

extension DaemonConfiguration {
    /// One `[[destination]]`: where events go, which of them, and how deliveries are paced and retried.
    public struct Destination: Sendable, Equatable {
        /// The retry schedule when `retry_schedule` is not set (DESIGN §7).
        public static let defaultRetrySchedule: [Duration] = [
            .seconds(5), .seconds(300), .seconds(1800), .seconds(7200), .seconds(18_000), .seconds(36_000),
            .seconds(36_000),
        ]

        /// Where a destination's events are written.
        public enum Kind: Sendable, Equatable {
            /// One JSON line per event on standard output.
            case stdout
            case webhook(Webhook)
        }

        /// A webhook receiver, the secrets its requests are signed with, and how they reach it. Its mirror
        /// (`dump`, `print`) hides the URL's password and query values and the proxy's password.
        public struct Webhook: Sendable, Equatable, CustomReflectable {
            /// https, or http to a loopback host.
            public var url: URL
            /// `whsec_…`: signs `webhook-signature` (Standard Webhooks v1). Nil sends unsigned requests.
            public var secret: Secret?
            /// `whsec_…`: during a rotation, a second signature with the old secret.
            public var previousSecret: Secret?
            /// Adds `X-Hub-Signature: sha1=…` for receivers that verify Intercom's own webhooks.
            public var intercomClientSecret: Secret?
            /// `ca_file`, `client_certificate_file` / `client_key_file` and `proxy`.
            public var connection: HTTPConnectionSettings

            public init(
                url: URL, secret: Secret? = nil, previousSecret: Secret? = nil, intercomClientSecret: Secret? = nil,
                connection: HTTPConnectionSettings = HTTPConnectionSettings()
            ) {
                self.url = url
                self.secret = secret
                self.previousSecret = previousSecret
                self.intercomClientSecret = intercomClientSecret
                self.connection = connection
            }

            public var customMirror: Mirror {
                Mirror(
                    self,
                    children: [
                        "url": DaemonConfiguration.redacted(url), "secret": secret as Any,
                        "previousSecret": previousSecret as Any, "intercomClientSecret": intercomClientSecret as Any,
                        "connection": DaemonConfiguration.RedactedConnection(connection),
                    ])
            }
        }

        /// Unique among destinations; the lane's name in the store and on the command line.
        public var name: String
        public var kind: Kind
        /// A subset of the enabled topics; all of them unless `topics` is set.
        public var topics: [Topic]
        /// How long one delivery attempt may take.
        public var timeout: Duration
        /// Deliveries in flight at once; 1 when ``ordered``.
        public var concurrency: Int
        /// Strict order: one delivery in flight, oldest first.
        public var ordered: Bool
        /// The wait before each retry after the first attempt; when exhausted the delivery is a dead letter.
        public var retrySchedule: [Duration]
        /// How events are written: Intercom's envelope (the default) or CloudEvents.
        public var format: EventFormat
        /// Which of the topics' events the destination receives (`[[destination.when]]`); empty: all of them.
        public var filter: EventFilter
        /// `workspaces`: the names of the workspaces whose events the destination receives; nil: every workspace,
        /// those a reload adds too.
        public var workspaces: Set<String>?

        public init(
            name: String, kind: Kind, topics: [Topic], timeout: Duration = .seconds(15), concurrency: Int = 4,
            ordered: Bool = false, retrySchedule: [Duration] = defaultRetrySchedule, format: EventFormat = .intercom,
            filter: EventFilter = EventFilter(), workspaces: Set<String>? = nil
        ) {
            self.name = name
            self.kind = kind
            self.topics = topics
            self.timeout = timeout
            self.concurrency = ordered ? 1 : concurrency
            self.ordered = ordered
            self.retrySchedule = retrySchedule
            self.format = format
            self.filter = filter
            self.workspaces = workspaces
        }

        /// Whether the destination receives the events of the workspace `name`.
        public func serves(workspace name: String) -> Bool {
            workspaces?.contains(name) ?? true
        }
    }
}
