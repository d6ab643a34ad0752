// libFuzzer targets for what Intercom and receivers send (scripts/fuzz): compiled with the daemon's own readers
// (Sources/IntercomTriggers, the files scripts/fuzz lists) as one module, with `-sanitize=fuzzer,address`, so an
// out-of-bounds read in the scanner's unchecked loops is a report, not a silent wrong answer. Each input must
// neither trap nor break the property its target checks; a break traps on purpose (`fatalError`), which libFuzzer
// saves as a crash file with the input.
//
// FUZZ_TARGET picks one:
//   page     a search page's body, read as the poller reads it (ListBody, then every item as a contact and as a
//            conversation, and `pages`); whatever the scanner accepts as a JSON document Foundation's parser must
//            accept too, but for what RFC 8259 allows and Foundation refuses (huge numbers, lone surrogates' escapes)
//            and for bytes that are not UTF-8, which an item's event bytes must have replaced by U+FFFD and nothing
//            else changed; and the other way round, but for nesting past 512 levels, trailing commas and NUL bytes
//            (Foundation takes the last two); every item's range must hold a JSON object.
//   changes  two items split at the first 0xFF byte: their ItemChanges, whose rendering is JSON and whose paths read
//            back from their string literals; an item compared with itself has none.
//   filter   two items split at the first 0xFF byte, through `[[destination.when]]` conditions: every path their
//            ItemChanges list passes `PATH changed`, and a negation (`!=`, `NIN`, `!~`) holds exactly when its positive
//            operator does not.
//   headers  a header value: HTTPDate and Retry-After (within 0…3,600 s), and the text
//            clean-up for logs.
import Foundation

private let target = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? "page"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    switch target {
    case "page": fuzzPage(bytes)
    case "changes": fuzzChanges(bytes)
    case "headers": fuzzHeaders(bytes)
    case "filter": fuzzFilter(bytes)
    default: fatalError("unknown FUZZ_TARGET \(target)")
    }
    return 0
}

private func fuzzPage(_ bytes: [UInt8]) {
    let data = Data(bytes)
    let scanner = JSONScanner(bytes: bytes)
    let valid = (try? scanner.validate()) != nil
    // RFC 8259's grammar allows a lone surrogate's escape (`\ud800`) and has no limit on a number's size; Foundation
    // refuses both. The daemon reads the one as U+FFFD and relays both as Intercom sent them (docs/decisions.md).
    if valid, String(validating: bytes, as: UTF8.self) != nil, !hasSurrogateEscape(bytes) {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            guard "\(error)".contains("not representable") else {
                fatalError("the scanner accepts what Foundation's JSON parser refuses: \(error)")
            }
        }
    }
    // Nor the other way: a page Intercom wrote well is read (nesting past the scanner's 512 levels aside; Foundation
    // also takes a comma before `}` or `]` and stops at a NUL byte, which RFC 8259 does not).
    if !valid, !hasTrailingComma(bytes), !bytes.contains(0),
        (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil
    {
        let reason = scanner.validateError()
        guard reason.contains("nesting too deep") else {
            fatalError("Foundation's JSON parser accepts what the scanner refuses: \(reason)")
        }
    }
    for key in ["data", "conversations"] {
        guard let list = try? ListBody(body: data, itemsKey: key) else { continue }
        guard valid else { fatalError("ListBody accepts a body that does not validate") }
        _ = list.pages
        for range in list.items {
            let members = list.scanner.objectMembers(at: range)
            guard list.scanner.bytes[range.lowerBound] != UInt8(ascii: "{") || members != nil else {
                fatalError("an object item's members cannot be read")
            }
            // Strings read as Foundation reads them, wherever Foundation can.
            for member in members ?? [] where list.scanner.bytes[member.value.lowerBound] == UInt8(ascii: "\"") {
                if let expected = try? JSONDecoder().decode(String.self, from: list.scanner.slice(member.value)),
                    (try? list.scanner.unescapedString(in: member.value)) != expected
                {
                    fatalError("a string reads other than Foundation reads it")
                }
            }
            for reading in [Resource.contacts, .conversations] {
                if let item = try? Observation(resource: reading, at: range, in: list.scanner) {
                    guard !item.id.isEmpty else { fatalError("an observation without id") }
                    // The bytes an event carries: UTF-8, and the item's own unless they were not.
                    let exact = list.scanner.slice(range)
                    guard item.raw == Data(String(decoding: exact, as: UTF8.self).utf8),
                        item.replacedInvalidUTF8 || item.raw == exact
                    else { fatalError("an item's bytes were changed other than by replacing what is not UTF-8") }
                    _ = item.value(of: .updatedAt)
                }
            }
        }
    }
}

/// Whether `bytes` hold a comma followed by `}` or `]` after whitespace (inside a string or not: it only narrows a check).
private func hasTrailingComma(_ bytes: [UInt8]) -> Bool {
    var comma = false
    for byte in bytes {
        switch byte {
        case UInt8(ascii: ","): comma = true
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): continue
        case UInt8(ascii: "}"), UInt8(ascii: "]"): if comma { return true }
        default: comma = false
        }
    }
    return false
}

/// Whether `bytes` hold `\u` and a code unit of a surrogate (D800–DFFF), paired or not.
private func hasSurrogateEscape(_ bytes: [UInt8]) -> Bool {
    bytes.indices.dropLast(3).contains { index in
        bytes[index] == UInt8(ascii: "\\") && bytes[index + 1] == UInt8(ascii: "u")
            && (bytes[index + 2] | 0x20) == UInt8(ascii: "d") && "89abcdefABCDEF".utf8.contains(bytes[index + 3])
    }
}

private func fuzzChanges(_ bytes: [UInt8]) {
    let split = bytes.firstIndex(of: 0xFF) ?? bytes.count
    let previous = Data(bytes[..<split])
    let current = Data(bytes[min(split + 1, bytes.count)...])
    guard let changes = try? ItemChanges(previous: previous, current: current) else { return }
    // (An empty key is an attribute too: its path is empty.)
    for (path, change) in changes.changes where change.previous == nil && change.current == nil {
        fatalError("a change without values: \(path)")
    }
    guard let same = try? ItemChanges(previous: current, current: current), same.isEmpty else {
        fatalError("an item compared with itself changed")
    }
    // What an update event carries must be JSON: its paths written as string literals that read back as themselves.
    guard (try? JSONScanner(changes.json).validate()) != nil else { fatalError("changes that are not JSON") }
    for (path, _) in changes.changes {
        var literal: [UInt8] = []
        JSONText.append(path, to: &literal)
        guard (try? JSONDecoder().decode(String.self, from: Data(literal))) == path else {
            fatalError("a path that does not read back from its literal: \(path.debugDescription)")
        }
    }
}

private func fuzzHeaders(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    _ = HTTPDate.parse(text)
    for now in [0, 1_765_000_000, Int.max / 2] {
        if let wait = RetryAfter.delay(text, now: now), wait < .zero || wait > .seconds(RetryAfter.maximum) {
            fatalError("Retry-After \(text) gives \(wait)")
        }
    }
    _ = HTTPFieldValue.trimmed(text)
}

/// Conditions of every operator on paths of every shape: nested, through arrays, empty, with an empty segment.
private let conditions: [FilterCondition] = [
    FilterCondition(field: "custom_attributes.plan", operator: .equals, value: "pro"),
    FilterCondition(field: "custom_attributes.plan", operator: .notEquals, value: "pro"),
    FilterCondition(field: "tags.data.name", operator: .in, value: ["vip", 1, 2.5, true]),
    FilterCondition(field: "tags.data.name", operator: .notIn, value: ["vip", 1, 2.5, true]),
    FilterCondition(field: "custom_attributes.seats", operator: .greaterThan, value: 3),
    FilterCondition(field: "custom_attributes.seats", operator: .lessThan, value: -2.5),
    FilterCondition(field: "email", operator: .contains, value: "@example"),
    FilterCondition(field: "email", operator: .notContains, value: "@example"),
    FilterCondition(field: "name", operator: .startsWith, value: "é"),
    FilterCondition(field: "a..b", operator: .endsWith, value: "x"),
    FilterCondition(field: "", operator: .equals, value: false),
    FilterCondition(field: "", operator: .notEquals, value: false),
]

private func fuzzFilter(_ bytes: [UInt8]) {
    let split = bytes.firstIndex(of: 0xFF) ?? bytes.count
    let previous = Data(bytes[..<split])
    let current = Data(bytes[min(split + 1, bytes.count)...])
    let changes = try? ItemChanges(previous: previous, current: current)
    let isObject = (try? JSONScanner(current).documentMembers()) != nil
    for condition in conditions {
        let holds = EventFilter([condition]).matches(item: current, changes: changes?.json)
        guard isObject, let positive = condition.operator.denied else { continue }
        let positiveHolds = EventFilter([
            FilterCondition(field: condition.field, operator: positive, value: condition.value)
        ])
        .matches(item: current, changes: changes?.json)
        guard holds != positiveHolds else { fatalError("\(condition) and its positive agree") }
    }
    for (path, _) in changes?.changes.prefix(20) ?? [] {
        guard
            EventFilter([FilterCondition(field: path, operator: .changed)]).matches(
                item: current, changes: changes?.json)
        else { fatalError("\(path) is listed as changed and `changed` does not hold") }
    }
}

/// What `FilterValue.description` quotes with; the configuration itself is not compiled in (descriptions only).
enum DaemonConfiguration {
    static func quoted(_ text: String) -> String { text.debugDescription }
}

extension JSONScanner {
    /// Why ``validate()`` refuses the document ("" when it does not).
    fileprivate func validateError() -> String {
        do {
            _ = try validate()
            return ""
        } catch {
            return error.description
        }
    }
}
