/// A failure of the end-to-end harness itself (a missing binary, a process that did not start or exit in time),
/// with a message that says what to do about it.
struct EndToEndError: Error, CustomStringConvertible {
    /// What went wrong.
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
