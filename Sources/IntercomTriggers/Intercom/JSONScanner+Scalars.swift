extension JSONScanner {
    /// A string, number or boolean read from a document, as a filter compares it.
    enum Scalar {
        case text(String)
        case number(Number)
        case bool(Bool)
    }

    /// A number: exact when it is an integer within `Int`'s range, else a finite `Double`.
    struct Number {
        var integer: Int?
        var double: Double

        init(integer: Int) {
            self.integer = integer
            double = Double(integer)
        }

        init(double: Double) {
            integer = nil
            self.double = double
        }

        /// A decimal number written as JSON or TOML write one (`42`, `-1.5`, `2e3`); nil for anything else,
        /// including what `Double` alone would take (`inf`, `nan`, `0x1p3`, surrounding spaces).
        init?(_ text: some StringProtocol) {
            guard let first = text.utf8.first,
                first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first),
                text.utf8.allSatisfy({ Self.decimalBytes.contains($0) }), let double = Double(String(text)),
                double.isFinite
            else { return nil }
            integer = Int(String(text))
            self.double = double
        }

        private static let decimalBytes = Set("0123456789+-.eE".utf8)

        /// Negative when `self` is smaller than `other`, zero when equal, positive when greater; nil when either
        /// is not a number (a NaN built in code).
        func order(comparedWith other: Number) -> Int? {
            if let lhs = integer, let rhs = other.integer { return lhs < rhs ? -1 : lhs > rhs ? 1 : 0 }
            if double < other.double { return -1 }
            if double > other.double { return 1 }
            return double == other.double ? 0 : nil
        }
    }

    /// The string, number or boolean at `range`; nil for `null`, an object, an array, or a string that does not
    /// decode.
    func scalar(at range: Range<Int>) -> Scalar? {
        switch bytes[range.lowerBound] {
        case UInt8(ascii: "\""):
            return (try? unescapedString(in: range)).map(Scalar.text)
        case UInt8(ascii: "t"):
            return .bool(true)
        case UInt8(ascii: "f"):
            return .bool(false)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return Number(String(decoding: bytes[range], as: UTF8.self)).map(Scalar.number)
        default:
            return nil
        }
    }
}
