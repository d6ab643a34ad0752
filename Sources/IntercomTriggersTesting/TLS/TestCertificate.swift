/// A PEM certificate and its PEM private key, as files.
public struct TestCertificate: Sendable, Hashable {
    /// The certificate (PEM).
    public var certificateFile: String
    /// Its private key (PEM, unencrypted).
    public var keyFile: String

    public init(certificateFile: String, keyFile: String) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }
}
