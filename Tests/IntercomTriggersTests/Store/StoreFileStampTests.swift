import Foundation
import Testing

@testable import IntercomTriggers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A stamp moves with whatever a commit does to the store's files — more bytes, the same bytes rewritten later, a
/// file that appears or is replaced — and stays put when nothing touched them.
@Suite struct StoreFileStampTests {
    enum Change: String, CaseIterable, CustomTestStringConvertible {
        case nothing, append, rewriteSameSizeLater, createMissing, replace, removeFile
        var testDescription: String { rawValue }
    }

    @Test(arguments: Change.allCases)
    func aStampMovesExactlyWhenAFileChanged(_ change: Change) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stamp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (database, wal) = (
            directory.appendingPathComponent("db").path, directory.appendingPathComponent("db-wal").path
        )
        try Data("main".utf8).write(to: URL(fileURLWithPath: database))
        if change != .createMissing {
            try Data("frames".utf8).write(to: URL(fileURLWithPath: wal))
            // A fixed, old modification time: a later rewrite is "later" without waiting for the clock to tick.
            try setModified(wal, seconds: 1_000_000)
        }

        let before = try #require(StoreFileStamp(paths: [database, wal]))
        switch change {
        case .nothing:
            break
        case .append:
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: wal))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("more".utf8))
            try handle.close()
            try setModified(wal, seconds: 1_000_000)
        case .rewriteSameSizeLater:
            try Data("FRAMES".utf8).write(to: URL(fileURLWithPath: wal))
            try setModified(wal, seconds: 1_000_001)
        case .createMissing:
            try Data("frames".utf8).write(to: URL(fileURLWithPath: wal))
        case .replace:
            let other = directory.appendingPathComponent("other").path
            try Data("frames".utf8).write(to: URL(fileURLWithPath: other))
            try setModified(other, seconds: 1_000_000)
            #expect(rename(other, wal) == 0)
        case .removeFile:
            try FileManager.default.removeItem(atPath: wal)
        }
        let after = try #require(StoreFileStamp(paths: [database, wal]))
        #expect((after == before) == (change == .nothing))
    }

    @Test func aPathThatCannotBeExaminedHasNoStamp() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("stamp-\(UUID().uuidString)")
        try Data("x".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        // A path through a regular file: ENOTDIR, not "missing".
        #expect(StoreFileStamp(paths: [file.path + "/db"]) == nil)
        #expect(StoreFileStamp(paths: [file.path + "-absent"]) != nil)
    }

    private func setModified(_ path: String, seconds: Int) throws {
        var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
    }
}
