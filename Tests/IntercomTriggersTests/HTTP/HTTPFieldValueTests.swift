import Testing

@testable import IntercomTriggers

/// Header values lose the spaces and tabs around them (RFC 9110 §5.5), nothing else.
@Suite struct HTTPFieldValueTests {
    @Test(arguments: [
        ("42", "42"), (" 42 ", "42"), ("\t7\t", "7"), (" \t a b \t ", "a b"), ("", ""), ("  \t ", ""),
        ("\n42\n", "\n42\n"), ("\u{00A0}42", "\u{00A0}42"), ("é", "é"),
    ])
    func trimsSpacesAndTabsAtEitherEnd(_ text: String, _ trimmed: String) {
        #expect(HTTPFieldValue.trimmed(text) == trimmed)
    }
}
