import Foundation
import Testing

@testable import IntercomTriggers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The demo's state directory: unique, private, made by `mkdtemp`.
@Suite struct PrivateTemporaryDirectoryTests {
    @Test func eachDirectoryIsNewAndPrivate() throws {
        let first = try PrivateTemporaryDirectory.create(prefix: "intercom-triggerd-demo")
        let second = try PrivateTemporaryDirectory.create(prefix: "intercom-triggerd-demo")
        defer {
            try? FileManager.default.removeItem(atPath: first)
            try? FileManager.default.removeItem(atPath: second)
        }
        #expect(first != second)
        for path in [first, second] {
            #expect(path.hasPrefix(FileManager.default.temporaryDirectory.path))
            #expect((path as NSString).lastPathComponent.hasPrefix("intercom-triggerd-demo."))
            var info = stat()
            #expect(lstat(path, &info) == 0)
            #expect(info.st_mode & S_IFMT == S_IFDIR, "\(path) is a directory, not a link")
            #expect(info.st_mode & 0o7777 == 0o700, "mode \(String(info.st_mode & 0o7777, radix: 8))")
            #expect(info.st_uid == geteuid())
        }
    }

    @Test func aMissingParentIsAnErrorNamingIt() {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID())").path
        #expect {
            _ = try PrivateTemporaryDirectory.create(prefix: "demo", in: parent)
        } throws: { error in
            let failure = error as? PrivateTemporaryDirectory.CreationError
            return failure?.template == parent + "/demo.XXXXXX" && failure?.description.contains(parent) == true
        }
    }
}
