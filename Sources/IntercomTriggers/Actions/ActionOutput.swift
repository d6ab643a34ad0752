import Foundation

/// Where an `api` command writes: results on stdout, messages and progress on stderr.
/// A seam so tests capture both streams.
public protocol ActionOutput: Sendable {
    /// Writes `data` to standard output as is.
    func standardOutput(_ data: Data)
    /// Writes one line (a newline is added) to standard error.
    func standardError(_ line: String)
}

/// The process's own stdout and stderr.
public struct StandardActionOutput: ActionOutput {
    public init() {}

    public func standardOutput(_ data: Data) { FileHandle.standardOutput.write(data) }

    public func standardError(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
}
