import Foundation
import Testing

@testable import IntercomTriggers

@Suite struct HTTPDateTests {
    @Test(arguments: [
        ("Sat, 05 Dec 2026 10:31:52 GMT", 1_796_466_712.0),
        ("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_777),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0),
        ("Thu, 29 Feb 2024 23:59:59 GMT", 1_709_251_199),
        ("  Fri, 31 Dec 9999 23:59:59 GMT\t", 253_402_300_799),
        // Weekdays are not checked against the date; a leap second is read as the next second.
        ("Mon, 05 Dec 2026 10:31:52 GMT", 1_796_466_712),
        ("Wed, 31 Dec 2025 23:59:60 GMT", 1_767_225_600),
    ])
    func readsAnIMFFixdate(_ text: String, _ seconds: Double) {
        #expect(HTTPDate.parse(text) == Date(timeIntervalSince1970: seconds))
    }

    @Test(arguments: [
        "", " ", "garbage", "1796466712", "Sat, 05 Dec 2026 10:31:52 UTC", "Sat, 05 Dec 2026 10:31:52 +0000",
        "Saturday, 05-Dec-26 10:31:52 GMT", "Sat Dec  5 10:31:52 2026", "Sat, 5 Dec 2026 10:31:52 GMT",
        "sat, 05 dec 2026 10:31:52 GMT", "Sat, 31 Feb 2026 10:31:52 GMT", "Sat, 29 Feb 2026 10:31:52 GMT",
        "Sat, 00 Dec 2026 10:31:52 GMT", "Sat, 05 Dec 2026 24:00:00 GMT", "Sat, 05 Dec 2026 10:60:00 GMT",
        "Sat, 05 Dec 2026 10:31:61 GMT", "Sat, 05 Dec -026 10:31:52 GMT", "Sat, 05 Dec 2026 1O:31:52 GMT",
        "Sat, 05 Dec 2026 10:31:52 GMT;", "Xyz, 05 Dec 2026 10:31:52 GMT", "Sat, 05 Dec 2026 10:31:5\u{0}GMT",
        "Sat, 05 Déc 2026 10:31:52 GMT", String(repeating: "9", count: 10_000),
    ])
    func refusesAnythingElse(_ text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }

    /// RFC 9110's obsolete forms, which a receiver's `Retry-After` may use; a two-digit year is the latest year with
    /// those digits not more than 50 years after now (here 2026-12-07).
    @Test(arguments: [
        ("Sunday, 06-Nov-94 08:49:37 GMT", 784_111_777.0),
        ("Monday, 07-Dec-26 10:00:00 GMT", 1_796_637_600),
        ("Wednesday, 01-Jan-76 00:00:00 GMT", 3_345_062_400),
        ("Saturday, 01-Jan-77 00:00:00 GMT", 220_924_800),
        (" Sun Nov  6 08:49:37 1994 ", 784_111_777),
        ("Sun Nov 06 08:49:37 1994", 784_111_777),
        ("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_777),
    ])
    func readsEveryFormOfAnHTTPDate(_ text: String, _ seconds: Double) {
        #expect(HTTPDate.parse(anyForm: text, now: 1_796_637_600) == Date(timeIntervalSince1970: seconds))
    }

    @Test(arguments: [
        "", "garbage", "Sun, 06-Nov-94 08:49:37 GMT", "Sunday, 6-Nov-94 08:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 UTC", "Sunday, 31-Feb-94 08:49:37 GMT", "Sunday, 06-Nov-94 24:49:37 GMT",
        "Sundays, 06-Nov-94 08:49:37 GMT", ", 06-Nov-94 08:49:37 GMT", "Sun Nov 6 08:49:37 1994",
        "Sun Nov  6 08:49:37 94", "Sun Nov  6 08:49:37  1994", "Sun Nov  6 08-49-37 1994", "Sun Nov  0 08:49:37 1994",
        "Sunday, 06-Nov-94 08:49:37 GMT, Sun Nov  6 08:49:37 1994", String(repeating: ",", count: 10_000),
    ])
    func refusesWhatIsNoHTTPDate(_ text: String) {
        #expect(HTTPDate.parse(anyForm: text, now: 1_796_637_600) == nil)
        #expect(HTTPDate.parse(anyForm: text, now: .max) == nil)
    }

    @Test(arguments: [0.0, 784_111_777, 1_709_251_199, 1_796_466_712.9, -86_400, 253_402_300_799])
    func formatsWhatItReads(_ seconds: Double) throws {
        let text = HTTPDate.format(Date(timeIntervalSince1970: seconds))
        #expect(text.utf8.count == 29)
        #expect(HTTPDate.parse(text) == Date(timeIntervalSince1970: seconds.rounded(.down)))
    }

    @Test func formatsTheWeekdayAndPadsTheFields() {
        #expect(HTTPDate.format(Date(timeIntervalSince1970: 1_796_466_712)) == "Sat, 05 Dec 2026 10:31:52 GMT")
        #expect(HTTPDate.format(Date(timeIntervalSince1970: 784_111_777)) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(Date(timeIntervalSince1970: -86_400)) == "Wed, 31 Dec 1969 00:00:00 GMT")
    }

    @Test(arguments: [Double.infinity, -Double.infinity, Double.nan, 1e300, -1e300])
    func formatsAbsurdDatesWithoutTrapping(_ seconds: Double) {
        #expect(HTTPDate.parse(HTTPDate.format(Date(timeIntervalSince1970: seconds))) != nil)
    }
}
