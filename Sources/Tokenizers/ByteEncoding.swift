/// GPT-2's reversible map between bytes and printable Unicode characters.
///
/// Byte-level BPE vocabularies store every token as text in which each byte of the original
/// UTF-8 is one character: the 188 printable bytes (`!`…`~`, `¡`…`¬`, `®`…`ÿ`) stand for
/// themselves and the other 68 (controls, space, 0x7F–0xA0, 0xAD) are shifted to U+0100…U+0143
/// in byte order. So a space is `Ġ` (U+0120), a newline `Ċ` (U+010A), a tab `ĉ` (U+0109).
/// Reference: `bytes_to_unicode` in openai/gpt-2 encoder.py; `unicode_byte_to_utf8` in llama.cpp.
public enum ByteEncoding {
    /// `scalar[b]` is the character that stands for byte `b`.
    public static let scalarForByte: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var shifted: UInt32 = 256
        for byte in 0 ..< 256 {
            let printable = (0x21 ... 0x7E).contains(byte) || (0xA1 ... 0xAC).contains(byte) || (0xAE ... 0xFF).contains(byte)
            if printable {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                table[byte] = Unicode.Scalar(shifted)!
                shifted += 1
            }
        }
        return table
    }()

    /// The inverse of ``scalarForByte``: the byte a character stands for.
    public static let byteForScalar: [UInt32: UInt8] = {
        var map: [UInt32: UInt8] = [:]
        for (byte, scalar) in scalarForByte.enumerated() { map[scalar.value] = UInt8(byte) }
        return map
    }()

    /// The vocabulary spelling of raw bytes: one character per byte.
    public static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var text = String.UnicodeScalarView()
        for byte in bytes { text.append(scalarForByte[Int(byte)]) }
        return String(text)
    }

    /// The raw bytes a vocabulary spelling stands for. A character outside the table (a token
    /// added by hand, say) contributes its own UTF-8 bytes, so nothing is lost.
    public static func decode(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if let byte = byteForScalar[scalar.value] {
                bytes.append(byte)
            } else {
                bytes.append(contentsOf: Array(String(scalar).utf8))
            }
        }
        return bytes
    }
}
