import Foundation

extension DaemonConfiguration {
    /// `[intercom]`: how to reach the workspace. Its mirror (`dump`, `print`) hides the base URL's password.
    public struct Intercom: Sendable, Equatable, CustomReflectable {
        /// From `access_token_file`, `access_token`, `INTERCOM_ACCESS_TOKEN` or `$CREDENTIALS_DIRECTORY/intercom-token`,
        /// the first that is set.
        public var accessToken: Secret
        public var region: IntercomConfiguration.Region
        /// Overrides the region's host (a simulator or a proxy).
        public var baseURL: URL?
        public var apiVersion: String
        public var maxRequestsPerMinute: Int

        public init(
            accessToken: Secret, region: IntercomConfiguration.Region = .us, baseURL: URL? = nil,
            apiVersion: String = "2.16", maxRequestsPerMinute: Int = 1000
        ) {
            self.accessToken = accessToken
            self.region = region
            self.baseURL = baseURL
            self.apiVersion = apiVersion
            self.maxRequestsPerMinute = maxRequestsPerMinute
        }

        public var customMirror: Mirror {
            Mirror(
                self,
                children: [
                    "accessToken": accessToken, "region": region,
                    "baseURL": baseURL.map(DaemonConfiguration.redacted) as Any, "apiVersion": apiVersion,
                    "maxRequestsPerMinute": maxRequestsPerMinute,
                ])
        }

        /// The API client's configuration for these settings (timeouts and retries at the client's defaults).
        public var clientConfiguration: IntercomConfiguration {
            IntercomConfiguration(
                accessToken: accessToken.value, region: region, baseURL: baseURL, apiVersion: apiVersion,
                maxRequestsPerMinute: maxRequestsPerMinute)
        }
    }
}
