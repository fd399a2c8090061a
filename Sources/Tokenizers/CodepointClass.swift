/// The Unicode classes the pre-tokenizer regexes test: `\p{L}`, `\p{N}`, `\s` and (qwen35) `\p{M}`.
///
/// llama.cpp classifies code points with its own tables (unicode-data.cpp) generated from the
/// Unicode database: letters are categories L*, numbers N* (Nd, Nl, No: so `²` is a number),
/// whitespace the White_Space property. Swift's `Unicode.Scalar.Properties` gives the same
/// answers (up to the Unicode version each was built with); ASCII is answered from a table.
struct CodepointClass: OptionSet, Sendable {
    let rawValue: UInt8
    static let letter = CodepointClass(rawValue: 1)
    static let number = CodepointClass(rawValue: 2)
    static let whitespace = CodepointClass(rawValue: 4)
    static let mark = CodepointClass(rawValue: 8)

    var isLetter: Bool { contains(.letter) }
    var isNumber: Bool { contains(.number) }
    var isWhitespace: Bool { contains(.whitespace) }
    var isMark: Bool { contains(.mark) }

    private static let ascii: [CodepointClass] = (0 ..< 128).map { value in
        let c = UInt8(value)
        if (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) { return .letter }
        if c >= 0x30 && c <= 0x39 { return .number }
        if c == 0x20 || (c >= 0x09 && c <= 0x0D) { return .whitespace }
        return []
    }

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init(_ scalar: Unicode.Scalar) {
        if scalar.value < 128 {
            self = Self.ascii[Int(scalar.value)]
            return
        }
        var result: CodepointClass = []
        let properties = scalar.properties
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            result.insert(.letter)
        case .decimalNumber, .letterNumber, .otherNumber:
            result.insert(.number)
        case .nonspacingMark, .spacingMark, .enclosingMark:
            result.insert(.mark)
        default:
            break
        }
        if properties.isWhitespace { result.insert(.whitespace) }
        self = result
    }
}
