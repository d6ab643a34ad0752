import Testing

@testable import IntercomSimulator

@Suite struct VersionsTests {
    @Test func knowsTheSpecVersions() {
        #expect(IntercomSimulatorInfo.supportedVersions.contains("2.16"))
        #expect(!IntercomSimulatorInfo.supportedVersions.contains("2.17"))
    }
}
