import Foundation

/// The searchable fields of one resource and how its date filters behave.
struct SearchSchema<Record> {
    /// `contact` or `conversation`, for messages.
    var resource: String
    var fields: [String: SearchField<Record>]
    /// Reads `custom_attributes`, for `custom_attributes.{name}` fields.
    var customAttributes: (Record) -> JSONObject
    /// Contact search on 2.16 matches dates by calendar day in the workspace timezone.
    var dayGranularDates: Bool
    /// Which operators date fields accept.
    var dateOperators: Set<String>
    /// The workspace calendar, for day boundaries.
    var calendar: Calendar

    func field(_ name: String) -> SearchField<Record>? {
        if let field = fields[name] { return field }
        if name.hasPrefix("custom_attributes."), name.count > "custom_attributes.".count {
            let attribute = String(name.dropFirst("custom_attributes.".count))
            return SearchField(kind: .custom) { .json(customAttributes($0)[attribute]) }
        }
        return nil
    }

    /// The start of the workspace-local day holding `seconds`, and the start of the next one (23 or 25 hours
    /// later across a DST change).
    func dayBounds(_ seconds: Int) -> (start: Int, end: Int) {
        let start = calendar.startOfDay(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
        let end = calendar.date(byAdding: .day, value: 1, to: start) ?? start.addingTimeInterval(86_400)
        return (Int(start.timeIntervalSince1970), Int(end.timeIntervalSince1970))
    }

    /// A Gregorian calendar in `timezone` (UTC when the identifier is unknown).
    static func calendar(timezone: String) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timezone) ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        return calendar
    }
}
