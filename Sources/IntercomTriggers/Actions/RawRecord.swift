import Foundation

/// A list item kept only as its bytes, for commands that print what Intercom sent.
public struct RawRecord: IntercomRecord, Equatable {
    public var raw: Data

    public init(raw: Data) { self.raw = raw }
}
