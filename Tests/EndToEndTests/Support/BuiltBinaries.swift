import Foundation

/// Locates the executables built by `swift build` (CI runs `swift build --build-tests` before `swift test`).
///
/// `swift build --show-bin-path` takes seconds, so the directory is derived instead: first the directory of the
/// running test bundle (SwiftPM puts the products next to it), then `<package>/.build/debug` from this file's
/// path. `E2E_BIN_DIR` overrides both.
enum BuiltBinaries {
    /// The daemon.
    static let daemon = "intercom-triggerd"
    /// The simulated Intercom.
    static let simulator = "intercom-sim"

    /// The path of the built executable `name`.
    /// - Throws: ``EndToEndError`` naming the places searched, when it is in none of them (a failure, not a
    ///   skip: a missing binary must not turn the end-to-end suites green).
    static func url(for name: String) throws -> URL {
        let candidates = searchDirectories().map { $0.appendingPathComponent(name) }
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) {
            return found
        }
        throw EndToEndError(
            "The built executable '\(name)' was not found (looked in: "
                + candidates.map(\.path).joined(separator: ", ")
                + "). Run `swift build --build-tests` (or `swift build`) before the end-to-end tests.")
    }

    /// Where to look, in order.
    static func searchDirectories() -> [URL] {
        var directories: [URL] = []
        if let override = ProcessInfo.processInfo.environment["E2E_BIN_DIR"], !override.isEmpty {
            directories.append(URL(fileURLWithPath: override, isDirectory: true))
        }
        // Linux: the test runner is `<bin>/intercom-triggerdPackageTests.xctest`; macOS: a bundle inside `<bin>`.
        for executable in [Bundle.main.executableURL, URL(fileURLWithPath: CommandLine.arguments[0])] {
            guard let executable else { continue }
            var directory = executable.resolvingSymlinksInPath().deletingLastPathComponent()
            while directory.path != "/" && !directory.lastPathComponent.isEmpty {
                if directory.pathExtension == "xctest" {
                    directory = directory.deletingLastPathComponent()
                    break
                }
                if FileManager.default.fileExists(atPath: directory.appendingPathComponent(daemon).path) { break }
                directory = directory.deletingLastPathComponent()
            }
            directories.append(directory)
        }
        directories.append(packageRoot.appendingPathComponent(".build/debug", isDirectory: true))
        return directories
    }

    /// The package's root directory (this file is `Tests/EndToEndTests/Support/BuiltBinaries.swift`).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }
}
