import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A new directory under the temporary directory that no one else can have made or entered: `mkdtemp(3)`.
///
/// A name built by hand (`…-demo-<pid>`) is predictable: another local user can create it first, or plant a link
/// there, and the demo would then keep its store in a directory someone else controls. `mkdtemp` picks an unused
/// random name, creates it atomically and with mode 0700.
public enum PrivateTemporaryDirectory {
    /// Why the directory could not be created.
    public struct CreationError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The template that was tried.
        public var template: String
        /// `strerror` of the failure.
        public var reason: String

        public var description: String { "cannot create a temporary directory \(template): \(reason)" }
    }

    /// Creates `<parent>/<prefix>.XXXXXX` (`parent`: `$TMPDIR`, else `/tmp`) and returns its path.
    public static func create(
        prefix: String, in parent: String = FileManager.default.temporaryDirectory.path
    ) throws(CreationError) -> String {
        let template = (parent as NSString).appendingPathComponent(prefix + ".XXXXXX")
        var bytes = Array(template.utf8CString)
        let result: Result<String, CreationError> = bytes.withUnsafeMutableBufferPointer { buffer in
            guard let created = mkdtemp(buffer.baseAddress!) else {
                return .failure(CreationError(template: template, reason: String(cString: strerror(errno))))
            }
            return .success(String(cString: created))
        }
        return try result.get()
    }
}
