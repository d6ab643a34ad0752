import Foundation

extension DaemonConfiguration {
    /// `[intercom]`: how to reach the workspace. Its mirror (`dump`, `print`) hides the base URL's and the proxy's
    /// passwords.
    public struct Intercom: Sendable, Equatable, CustomReflectable {
        /// From `access_token_file`, `access_token`, `INTERCOM_ACCESS_TOKEN` or `$CREDENTIALS_DIRECTORY/intercom-token`,
        /// the first that is set.
        public var accessToken: Secret
        public var region: IntercomConfiguration.Region
        /// Overrides the region's host (a simulator or a proxy).
        public var baseURL: URL?
        public var apiVersion: String
        public var maxRequestsPerMinute: Int
        /// `ca_file` and `proxy`: whom API requests trust and which proxy they take.
        public var connection: HTTPConnectionSettings

        public init(
            accessToken: Secret, region: IntercomConfiguration.Region = .us, baseURL: URL? = nil,
            apiVersion: String = "2.16", maxRequestsPerMinute: Int = 1000,
            connection: HTTPConnectionSettings = HTTPConnectionSettings()
        ) {
            self.accessToken = accessToken
            self.region = region
            self.baseURL = baseURL
            self.apiVersion = apiVersion
            self.maxRequestsPerMinute = maxRequestsPerMinute
            self.connection = connection
        }

        public var customMirror: Mirror {
            Mirror(
                self,
                children: [
                    "accessToken": accessToken, "region": region,
                    "baseURL": baseURL.map(DaemonConfiguration.redacted) as Any, "apiVersion": apiVersion,
                    "maxRequestsPerMinute": maxRequestsPerMinute,
                    "connection": DaemonConfiguration.RedactedConnection(connection),
                ])
        }

        /// The API client's configuration for these settings (timeouts and retries at the client's defaults).
        public var clientConfiguration: IntercomConfiguration {
            IntercomConfiguration(
                accessToken: accessToken.value, region: region, baseURL: baseURL, apiVersion: apiVersion,
                maxRequestsPerMinute: maxRequestsPerMinute, connection: connection)
        }
    }
}
