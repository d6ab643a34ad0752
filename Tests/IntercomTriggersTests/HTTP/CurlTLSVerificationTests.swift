import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// Certificate checks are always on: a receiver the client cannot verify is never sent the request, and the
/// error says why; a receiver demanding a client certificate gets one where the request names it.
@Suite struct CurlTLSVerificationTests {
    static let ok: ScriptedHTTPServer.Script = { _, _ in .respond(status: 200) }

    /// Sends a request trusting the test CA (or `caFile`) to a receiver presenting `certificate`; expects
    /// `notConnected` with a message naming the certificate problem, and nothing reaching the backend.
    private func expectRejected(
        _ certificate: @escaping @Sendable (TestCertificates) -> TestCertificate,
        trusting caFile: @escaping @Sendable (TestCertificates) -> String? = { $0.caFile },
        messageMentions expected: [String]
    ) async throws {
        try await CurlTestBed.withHTTPSReceiver(certificate: certificate, script: Self.ok) {
            server, terminator, certificates in
            let request = CurlTestBed.request(terminator.url(), caFile: caFile(certificates))
            let error = await #expect(throws: HTTPTransportError.self) {
                try await CurlTestBed.withTransport { try await $0.send(request) }
            }
            #expect(CurlTestBed.isNotConnected(error), "\(String(describing: error))")
            let message = CurlTestBed.message(error) ?? ""
            #expect(message.contains("SSL") || message.contains("certificate"), "\(message)")
            for word in expected { #expect(message.contains(word), "\(message)") }
            // (nginx may have connected to the backend: it completes its side of the handshake before the client
            // checks the host name.)
            #expect(server.received.isEmpty)
        }
    }

    @Test func aCertificateFromAnUnknownCAIsRejected() async throws {
        try await expectRejected({ $0.unknownCA }, messageMentions: ["unable to get local issuer certificate"])
    }

    @Test func aCertificateForAnotherHostNameIsRejected() async throws {
        try await expectRejected({ $0.wrongHost }, messageMentions: ["127.0.0.1"])
    }

    @Test func anExpiredCertificateIsRejected() async throws {
        try await expectRejected({ $0.expired }, messageMentions: ["expired"])
    }

    @Test func theSystemCAStoreDoesNotTrustThePrivateCA() async throws {
        try await expectRejected({ $0.server }, trusting: { _ in nil }, messageMentions: [])
    }

    @Test func theOtherCAFileDoesNotTrustOurServer() async throws {
        try await expectRejected({ $0.server }, trusting: { $0.otherCAFile }, messageMentions: [])
    }

    // MARK: - Client certificates

    /// nginx's stream module completes the handshake, then closes a connection that presented no certificate:
    /// the attempt fails and the backend never sees the request; with the certificate it goes through.
    @Test func aStreamReceiverDemandingAClientCertificate() async throws {
        try await CurlTestBed.withHTTPSReceiver(requireClientCertificate: true, script: Self.ok) {
            server, terminator, certificates in
            try await CurlTestBed.withTransport { transport in
                let bare = CurlTestBed.request(terminator.url(), caFile: certificates.caFile)
                await #expect(throws: HTTPTransportError.self) { try await transport.send(bare) }
                #expect(server.received.isEmpty)
                #expect(terminator.errorLog.contains("client sent no required SSL certificate"))

                var withCertificate = bare
                withCertificate.connection.clientCertificateFile = certificates.client.certificateFile
                withCertificate.connection.clientKeyFile = certificates.client.keyFile
                let status = try await transport.send(withCertificate).status
                #expect(status == 200)
                #expect(server.received.count == 1)
            }
        }
    }

    /// nginx's http module answers `400` to a request without the certificate it demands.
    @Test func anHTTP2ReceiverDemandingAClientCertificate() async throws {
        try await CurlTestBed.withHTTPSReceiver(mode: .http2, requireClientCertificate: true, script: Self.ok) {
            server, terminator, certificates in
            try await CurlTestBed.withTransport { transport in
                let bare = CurlTestBed.request(terminator.url(), caFile: certificates.caFile)
                let refused = try await transport.send(bare)
                #expect(refused.status == 400)
                #expect(String(decoding: refused.body, as: UTF8.self).contains("No required SSL certificate was sent"))
                #expect(server.received.isEmpty)

                var withCertificate = bare
                withCertificate.connection.clientCertificateFile = certificates.client.certificateFile
                withCertificate.connection.clientKeyFile = certificates.client.keyFile
                let status = try await transport.send(withCertificate).status
                #expect(status == 200)
                #expect(server.received.count == 1)
            }
        }
    }

    /// A client certificate from a CA the receiver does not trust is no better than none.
    @Test func aClientCertificateTheReceiverDoesNotTrustIsRefused() async throws {
        try await CurlTestBed.withHTTPSReceiver(requireClientCertificate: true, script: Self.ok) {
            server, terminator, certificates in
            var request = CurlTestBed.request(terminator.url(), caFile: certificates.caFile)
            // The server certificate, signed by the server CA, not the client CA.
            request.connection.clientCertificateFile = certificates.server.certificateFile
            request.connection.clientKeyFile = certificates.server.keyFile
            await #expect(throws: HTTPTransportError.self) {
                try await CurlTestBed.withTransport { try await $0.send(request) }
            }
            #expect(server.received.isEmpty)
        }
    }

    /// A receiver that fails the handshake itself (`openssl s_server -Verify`): under TLS 1.2 the client
    /// learns it in the handshake, so nothing was sent (`notConnected`); under TLS 1.3 the client's handshake
    /// is over before the server's check, so the alert arrives after the request went out. Either way the
    /// message names the certificate or TLS, and with the certificate the request succeeds.
    @Test(arguments: MutualTLSReceiver.ProtocolVersion.allCases)
    func aReceiverFailingTheHandshakeWithoutAClientCertificate(version: MutualTLSReceiver.ProtocolVersion)
        async throws
    {
        try await TestCertificates.withGenerated { certificates in
            try await MutualTLSReceiver.withRunning(
                certificate: certificates.server, clientCAFile: certificates.clientCAFile, protocolVersion: version
            ) { receiver in
                try await CurlTestBed.withTransport { transport in
                    let bare = CurlTestBed.request(
                        receiver.url("/"), method: .get, body: nil, caFile: certificates.caFile)
                    let error = await #expect(throws: HTTPTransportError.self) { try await transport.send(bare) }
                    let message = CurlTestBed.message(error) ?? ""
                    switch version {
                    case .tls12:
                        #expect(CurlTestBed.isNotConnected(error), "\(String(describing: error))")
                        #expect(message.contains("SSL") && message.contains("alert"), "\(message)")
                    case .tls13:
                        #expect(message.contains("certificate required"), "\(message)")
                    }

                    var withCertificate = bare
                    withCertificate.connection.clientCertificateFile = certificates.client.certificateFile
                    withCertificate.connection.clientKeyFile = certificates.client.keyFile
                    let status = try await transport.send(withCertificate).status
                    #expect(status == 200)
                }
            }
        }
    }
}
