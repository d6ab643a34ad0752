import Testing

@testable import IntercomTriggers

@Suite struct VersionTests {
    @Test func versionIsSemantic() {
        #expect(IntercomTriggers.version.split(separator: ".").count == 3)
    }
}
