import Foundation

/// HTTP's `Date` format, the IMF-fixdate of RFC 9110 §5.6.7 (`Sun, 06 Nov 1994 08:49:37 GMT`), read and
/// written by hand: fixed positions, English names, GMT only — no locale, no calendar, no formatter state,
/// and nothing a hostile header can make trap.
public enum HTTPDate {
    private static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The instant an IMF-fixdate names (surrounding spaces allowed), or nil for anything else: another
    /// format, a field out of range (`31 Feb`, `25:00:00`), a zone other than `GMT`. Read from the bytes in
    /// place (every Intercom response carries one).
    public static func parse(_ text: String) -> Date? {
        var text = HTTPFieldValue.trimmed(text)
        return text.withUTF8 { parse(bytes: $0) }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        // "Sun, 06 Nov 1994 08:49:37 GMT": 29 bytes, separators at fixed offsets.
        guard bytes.count == 29,
            bytes[3] == UInt8(ascii: ","), bytes[4] == 0x20, bytes[7] == 0x20, bytes[11] == 0x20,
            bytes[16] == 0x20, bytes[25] == 0x20, name(bytes, at: 26) == gmt, weekdayNames.contains(name(bytes, at: 0)),
            let month = monthNames.firstIndex(of: name(bytes, at: 8)).map({ $0 + 1 }),
            let day = number(bytes, 5..<7), let year = number(bytes, 12..<16)
        else { return nil }
        return instant(bytes, year: year, month: month, day: day, timeAt: 17)
    }

    /// The instant an HTTP date in any of RFC 9110's three forms names (§5.6.7): the IMF-fixdate, the obsolete RFC 850
    /// form (`Sunday, 06-Nov-94 08:49:37 GMT`, its two-digit year read as the latest year with those digits that is not
    /// more than 50 years after `now`, Unix seconds) and asctime's (`Sun Nov  6 08:49:37 1994`); nil for anything
    /// else. Recipients must accept all three (a receiver's `Retry-After`); read by hand like the IMF-fixdate:
    /// Foundation's `DateFormatter` took 0.28 ms and kept ~3 KB for good on every value it could not read.
    public static func parse(anyForm text: String, now: Int) -> Date? {
        if let date = parse(text) { return date }
        var text = HTTPFieldValue.trimmed(text)
        return text.withUTF8 { bytes in
            if let comma = bytes.firstIndex(of: UInt8(ascii: ",")) {
                return rfc850(bytes, weekdayLength: comma, now: now)
            }
            return asctime(bytes)
        }
    }

    /// `Sunday, 06-Nov-94 08:49:37 GMT`: the full weekday name ends at `weekdayLength`.
    private static func rfc850(_ bytes: UnsafeBufferPointer<UInt8>, weekdayLength: Int, now: Int) -> Date? {
        let rest = weekdayLength + 2
        guard bytes.count == rest + 22,
            fullWeekdays.contains(where: { $0.utf8.elementsEqual(bytes[..<weekdayLength]) }),
            bytes[weekdayLength + 1] == 0x20, bytes[rest + 2] == UInt8(ascii: "-"),
            bytes[rest + 6] == UInt8(ascii: "-"), bytes[rest + 9] == 0x20, bytes[rest + 18] == 0x20,
            name(bytes, at: rest + 19) == gmt, let day = number(bytes, rest..<(rest + 2)),
            let month = monthNames.firstIndex(of: name(bytes, at: rest + 3)).map({ $0 + 1 }),
            let twoDigits = number(bytes, (rest + 7)..<(rest + 9))
        else { return nil }
        let thisYear = utc(now).year
        var year = thisYear - thisYear % 100 + twoDigits
        if year > thisYear + 50 { year -= 100 }
        return instant(bytes, year: year, month: month, day: day, timeAt: rest + 10)
    }

    /// `Sun Nov  6 08:49:37 1994`: the day of the month padded with a space.
    private static func asctime(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        guard bytes.count == 24, weekdayNames.contains(name(bytes, at: 0)), bytes[3] == 0x20, bytes[7] == 0x20,
            bytes[10] == 0x20, bytes[19] == 0x20,
            let month = monthNames.firstIndex(of: name(bytes, at: 4)).map({ $0 + 1 }),
            let day = bytes[8] == 0x20 ? number(bytes, 9..<10) : number(bytes, 8..<10),
            let year = number(bytes, 20..<24)
        else { return nil }
        return instant(bytes, year: year, month: month, day: day, timeAt: 11)
    }

    /// The instant of a date and the `HH:MM:SS` at `offset`, nil when a field is out of range.
    private static func instant(
        _ bytes: UnsafeBufferPointer<UInt8>, year: Int, month: Int, day: Int, timeAt offset: Int
    ) -> Date? {
        guard bytes[offset + 2] == UInt8(ascii: ":"), bytes[offset + 5] == UInt8(ascii: ":"),
            let hour = number(bytes, offset..<(offset + 2)), let minute = number(bytes, (offset + 3)..<(offset + 5)),
            let second = number(bytes, (offset + 6)..<(offset + 8)),
            (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60, second <= 60
        else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: TimeInterval(((days * 24 + hour) * 60 + minute) * 60 + second))
    }

    private static let fullWeekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// Three bytes from `offset` as one number, to compare with ``code(_:)``s.
    private static func name(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Int {
        Int(bytes[offset]) << 16 | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2])
    }

    private static func code(_ name: String) -> Int { name.utf8.reduce(0) { $0 << 8 | Int($1) } }
    private static let weekdayNames = weekdays.map(code)
    private static let monthNames = months.map(code)
    private static let gmt = code("GMT")

    /// `date` as an IMF-fixdate, whole seconds (truncated); years outside 0001–9999 are clamped into them.
    public static func format(_ date: Date) -> String {
        let raw = date.timeIntervalSince1970
        let seconds = raw.isFinite ? Int(min(max(raw, Double(earliest)), Double(latest)).rounded(.down)) : 0
        let time = utc(seconds)
        // 1970-01-01 was a Thursday.
        let weekday = weekdays[((time.days + 3) % 7 + 7) % 7]
        return "\(weekday), \(two(time.day)) \(months[time.month - 1]) \(four(time.year)) "
            + "\(two(time.hour)):\(two(time.minute)):\(two(time.second)) GMT"
    }

    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z in Unix seconds: the instants a four-digit year can write.
    static let earliest = daysSinceEpoch(year: 1, month: 1, day: 1) * 86_400
    static let latest = daysSinceEpoch(year: 10_000, month: 1, day: 1) * 86_400 - 1

    /// The UTC calendar fields of `seconds` (Unix), clamped into ``earliest``…``latest`` first, so any `Int`
    /// gives a four-digit year and nothing traps.
    static func utc(
        _ seconds: Int
    ) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, days: Int) {
        let clamped = min(max(seconds, earliest), latest)
        let days = clamped >= 0 ? clamped / 86_400 : (clamped - 86_399) / 86_400
        let time = clamped - days * 86_400
        let (year, month, day) = civil(daysSinceEpoch: days)
        return (year, month, day, time / 3600, time / 60 % 60, time % 60, days)
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    static func four(_ value: Int) -> String { String(repeating: "0", count: 4 - String(value).count) + String(value) }

    /// Decimal digits only (no sign, no spaces).
    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var value = 0
        for byte in bytes[range] {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of `daysSinceEpoch` (H. Hinnant's `civil_from_days`).
    private static func civil(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
