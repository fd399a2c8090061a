import Foundation

/// Turns a text file's bytes into a String, and rejects binary files on the way.
///
/// The order of attempts:
/// 1. a UTF-16 byte-order mark (FF FE little-endian, FE FF big-endian) → UTF-16;
/// 2. valid UTF-8 (an EF BB BF byte-order mark is stripped) → UTF-8;
/// 3. anything else → **Windows-1252**, the fallback. It is what "Latin-1" text files written on
///    Windows actually are, it is a superset of ISO 8859-1's printable range, and every byte
///    decodes, so no text is ever lost: the five bytes Windows-1252 leaves undefined (81 8D 8F 90
///    9D) map to the C1 controls of the same value, as the WHATWG Encoding Standard specifies.
///
/// Binary detection (``BinaryDetection``) runs on the raw bytes for UTF-8 and Windows-1252, and on
/// the decoded text for UTF-16 (whose ASCII characters contain NUL bytes).
public enum TextDecoding {
    /// Which decoding ``decode(_:file:)`` used, for tests and the ingest report.
    public enum Encoding: String, Sendable { case utf8, utf16LittleEndian, utf16BigEndian, windows1252 }

    /// Decodes `data` read from `file` (named in errors), throwing ``LoaderError/binary(file:)``.
    public static func decode(_ data: Data, file: String) throws -> String {
        try decodeReportingEncoding(data, file: file).text
    }

    /// As ``decode(_:file:)``, also saying which encoding was used.
    public static func decodeReportingEncoding(_ data: Data, file: String) throws -> (text: String, encoding: Encoding) {
        let bytes = [UInt8](data)
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            let littleEndian = bytes[0] == 0xFF
            let text = decodeUTF16(bytes.dropFirst(2), littleEndian: littleEndian)
            if BinaryDetection.isBinary(scalars: text.unicodeScalars) { throw LoaderError.binary(file: file) }
            return (text, littleEndian ? .utf16LittleEndian : .utf16BigEndian)
        }
        if BinaryDetection.isBinary(bytes: bytes) { throw LoaderError.binary(file: file) }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if let text = String(validating: body, as: UTF8.self) { return (text, .utf8) }
        return (decodeWindows1252(bytes), .windows1252)
    }

    /// UTF-16 code units in the given byte order; an odd trailing byte and unpaired surrogates
    /// become U+FFFD (the standard's replacement), so decoding never fails.
    static func decodeUTF16(_ bytes: ArraySlice<UInt8>, littleEndian: Bool) -> String {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2 + 1)
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            let first = UInt16(bytes[index]), second = UInt16(bytes[index + 1])
            units.append(littleEndian ? first | second << 8 : first << 8 | second)
            index += 2
        }
        if index < bytes.endIndex { units.append(0xFFFD) }
        return String(decoding: units, as: UTF16.self)
    }

    /// Windows-1252: bytes 00–7F and A0–FF are the code points of the same value; 80–9F are the
    /// typographic characters below (undefined ones stay C1 controls).
    static func decodeWindows1252(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let value: UInt32 = (0x80...0x9F).contains(byte) ? windows1252High[Int(byte) - 0x80] : UInt32(byte)
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(scalars)
    }

    /// Code points for bytes 0x80...0x9F (WHATWG index-windows-1252).
    private static let windows1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]
}
