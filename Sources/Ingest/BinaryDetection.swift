/// Tells text from binary by looking at the first bytes of a file, as `file(1)` and git do.
///
/// A file is binary when its first 8 KiB hold a NUL byte, or when more than 10% of them are
/// C0 control characters other than tab, line feed, vertical tab, form feed, carriage return and
/// escape (ANSI colours in logs). UTF-16 text is full of NUL bytes, so callers decode a UTF-16 file
/// (recognised by its byte-order mark) first and call ``isBinary(scalars:)`` on the result.
public enum BinaryDetection {
    /// How much of the start of a file is examined.
    public static let sampleSize = 8192
    /// Share of control characters above which a NUL-free sample is still binary.
    public static let maximumControlShare = 0.10

    /// True when the first ``sampleSize`` bytes look binary.
    public static func isBinary<Bytes: Collection>(bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        var controls = 0, seen = 0
        for byte in bytes.prefix(sampleSize) {
            if byte == 0 { return true }
            if isSuspiciousControl(UInt32(byte)) { controls += 1 }
            seen += 1
        }
        return seen > 0 && Double(controls) > maximumControlShare * Double(seen)
    }

    /// The same test on already decoded text (for UTF-16 files): NUL or too many control scalars.
    public static func isBinary(scalars: String.UnicodeScalarView) -> Bool {
        var controls = 0, seen = 0
        for scalar in scalars.prefix(sampleSize) {
            if scalar.value == 0 { return true }
            if isSuspiciousControl(scalar.value) { controls += 1 }
            seen += 1
        }
        return seen > 0 && Double(controls) > maximumControlShare * Double(seen)
    }

    /// C0 controls that text files do not normally contain (tab 9, LF 10, VT 11, FF 12, CR 13 and
    /// ESC 27 are normal), plus DEL.
    private static func isSuspiciousControl(_ value: UInt32) -> Bool {
        switch value {
        case 9...13, 27: return false
        case 0..<32, 127: return true
        default: return false
        }
    }
}
