import Foundation
import IntercomTriggersTesting
import Testing

@testable import IntercomTriggers

/// Proxies: https through a `CONNECT` tunnel, named per request or by the environment as every Unix tool
/// reads it, bypassed for `NO_PROXY` hosts, with credentials that never show in an error.
@Suite struct CurlProxyTests {
    static let ok: ScriptedHTTPServer.Script = { _, _ in .respond(status: 200, body: "through") }

    @Test func anHTTPSRequestTunnelsThroughTheNamedProxy() async throws {
        try await CurlTestBed.withHTTPSReceiver(script: Self.ok) { server, terminator, certificates in
            try await ConnectProxy.withRunning { proxy in
                let request = CurlTestBed.request(
                    terminator.url(), caFile: certificates.caFile, proxy: .url(proxy.url))
                let response = try await CurlTestBed.withTransport { try await $0.send(request) }
                #expect(response.status == 200)
                #expect(String(decoding: response.body, as: UTF8.self) == "through")
                #expect(proxy.connectTargets == ["127.0.0.1:\(terminator.port)"])
                #expect(server.received.count == 1)
            }
        }
    }

    @Test(arguments: ["HTTPS_PROXY", "https_proxy"])
    func anHTTPSRequestTunnelsThroughTheEnvironmentsProxy(variable: String) async throws {
        try await CurlTestBed.withHTTPSReceiver(script: Self.ok) { server, terminator, certificates in
            try await ConnectProxy.withRunning { proxy in
                let request = CurlTestBed.request(terminator.url(), caFile: certificates.caFile, proxy: .environment)
                let response = try await CurlTestBed.withTransport(environment: [variable: proxy.url]) {
                    try await $0.send(request)
                }
                #expect(response.status == 200)
                #expect(proxy.connectTargets == ["127.0.0.1:\(terminator.port)"])
            }
        }
    }

    @Test func noProxyBypassesTheEnvironmentsProxy() async throws {
        try await CurlTestBed.withHTTPSReceiver(script: Self.ok) { server, terminator, certificates in
            try await ConnectProxy.withRunning { proxy in
                let request = CurlTestBed.request(terminator.url(), caFile: certificates.caFile, proxy: .environment)
                let environment = ["HTTPS_PROXY": proxy.url, "NO_PROXY": "127.0.0.1"]
                let response = try await CurlTestBed.withTransport(environment: environment) {
                    try await $0.send(request)
                }
                #expect(response.status == 200)
                #expect(proxy.tunnels == 0)
                #expect(server.received.count == 1)
            }
        }
    }

    @Test func directIgnoresTheEnvironmentsProxy() async throws {
        try await CurlTestBed.withHTTPSReceiver(script: Self.ok) { server, terminator, certificates in
            try await ConnectProxy.withRunning { proxy in
                let request = CurlTestBed.request(terminator.url(), caFile: certificates.caFile, proxy: .direct)
                let response = try await CurlTestBed.withTransport(environment: ["HTTPS_PROXY": proxy.url]) {
                    try await $0.send(request)
                }
                #expect(response.status == 200)
                #expect(proxy.tunnels == 0)
            }
        }
    }

    @Test func aPlainHTTPRequestGoesThroughTheEnvironmentsHTTPProxy() async throws {
        try await ScriptedHTTPServer.withRunning(script: Self.ok) { server in
            try await ConnectProxy.withRunning { proxy in
                let request = CurlTestBed.request(
                    URL(string: server.baseURL + "/hook")!, caFile: nil, proxy: .environment)
                let response = try await CurlTestBed.withTransport(environment: ["HTTP_PROXY": proxy.url]) {
                    try await $0.send(request)
                }
                #expect(response.status == 200)
                #expect(proxy.forwardedTargets == [server.baseURL + "/hook"])
                #expect(server.received.count == 1)
            }
        }
    }

    @Test func aProxyDemandingCredentialsGetsThemFromTheProxyURL() async throws {
        try await CurlTestBed.withHTTPSReceiver(script: Self.ok) { server, terminator, certificates in
            try await ConnectProxy.withRunning(credentials: ("relay", "s3cret-pass")) { proxy in
                let request = CurlTestBed.request(
                    terminator.url(), caFile: certificates.caFile,
                    proxy: .url(proxy.url(user: "relay", password: "s3cret-pass")))
                let response = try await CurlTestBed.withTransport { try await $0.send(request) }
                #expect(response.status == 200)
                #expect(proxy.tunnels == 1)
                #expect(proxy.refusals == 0)
            }
        }
    }

    /// A proxy refusing the credentials fails the attempt before anything reached the receiver, and the
    /// password is in no error, whether the proxy was named per request or by the environment.
    @Test(arguments: [false, true])
    func aRefusingProxyFailsWithoutRepeatingThePassword(fromEnvironment: Bool) async throws {
        try await CurlTestBed.withHTTPSReceiver(script: Self.ok) { server, terminator, certificates in
            try await ConnectProxy.withRunning(credentials: ("relay", "s3cret-pass")) { proxy in
                let proxyURL = proxy.url(user: "relay", password: "wrong-pass-4711")
                let request = CurlTestBed.request(
                    terminator.url(), caFile: certificates.caFile,
                    proxy: fromEnvironment ? .environment : .url(proxyURL))
                let environment = fromEnvironment ? ["HTTPS_PROXY": proxyURL] : [:]
                let error = await #expect(throws: HTTPTransportError.self) {
                    try await CurlTestBed.withTransport(environment: environment) { try await $0.send(request) }
                }
                #expect(CurlTestBed.isNotConnected(error), "\(String(describing: error))")
                let text = "\(String(describing: error)) \(CurlTestBed.message(error) ?? "")"
                #expect(text.contains("407"), "\(text)")
                #expect(!text.contains("wrong-pass-4711"), "\(text)")
                #expect(proxy.refusals == 1)
                #expect(proxy.tunnels == 0)
                #expect(server.received.isEmpty)
            }
        }
    }

    /// A proxy setting libcurl cannot use (a port out of range, or none it can read) fails the attempt; libcurl's
    /// message repeats the whole proxy URL, and the password must not survive into the error, whether the proxy
    /// was named per request or by the environment.
    @Test(arguments: [false, true], ["127.0.0.1:99999", "127.0.0.1:notaport"])
    func anUnusableProxyURLNeverShowsItsPassword(fromEnvironment: Bool, hostAndPort: String) async throws {
        let proxyURL = "http://relay:s3cret-pass@\(hostAndPort)"
        let request = CurlTestBed.request(
            URL(string: "https://127.0.0.1:9/hook")!, caFile: nil,
            proxy: fromEnvironment ? .environment : .url(proxyURL))
        let environment = fromEnvironment ? ["HTTPS_PROXY": proxyURL] : [:]
        let error = await #expect(throws: HTTPTransportError.self) {
            try await CurlTestBed.withTransport(environment: environment) { try await $0.send(request) }
        }
        #expect(CurlTestBed.isNotConnected(error), "\(String(describing: error))")
        let text = "\(String(describing: error)) \(CurlTestBed.message(error) ?? "")"
        #expect(text.contains("proxy"), "\(text)")
        #expect(!text.contains("s3cret-pass"), "\(text)")
    }

    @Test func aProxyThatIsDownIsNotConnected() async throws {
        try await CurlTestBed.withHTTPSReceiver(script: Self.ok) { server, terminator, certificates in
            let down = try RefusingPort()
            let request = CurlTestBed.request(
                terminator.url(), caFile: certificates.caFile, proxy: .url("http://127.0.0.1:\(down.port)"))
            let error = await #expect(throws: HTTPTransportError.self) {
                try await CurlTestBed.withTransport { try await $0.send(request) }
            }
            #expect(CurlTestBed.isNotConnected(error), "\(String(describing: error))")
            #expect(server.received.isEmpty)
        }
    }
}
