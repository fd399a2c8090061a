import Foundation

/// BERT's basic tokenization, exactly as HF tokenizers' `BertNormalizer` (clean_text,
/// handle_chinese_chars, strip_accents, lowercase) followed by `BertPreTokenizer` (split on
/// whitespace, punctuation as words of its own). See tokenizers/src/normalizers/bert.rs.
///
/// Each normalisation step of that pipeline works on one character at a time, so it is applied
/// here scalar by scalar in one pass over the UTF-8 bytes, handing each word to a callback as
/// normalised UTF-8 without building a `String`:
///
/// 1. clean_text: drop NUL, U+FFFD and control/format/unassigned characters; whitespace splits.
/// 2. handle_chinese_chars: a CJK ideograph is a word of its own.
/// 3. strip_accents (on because lowercase is): NFD, then drop non-spacing marks (Mn): é → e.
/// 4. lowercase: Unicode lower-case mapping per character.
/// 5. pre-tokenize: split on whitespace; each punctuation character is a word of its own.
///
/// ASCII text takes a byte-level fast path; other scalars go through Foundation's NFD.
/// (Canonical reordering of a run of combining marks is skipped: it only reorders marks, which
/// step 3 drops.)
public enum BasicTokenizer {
    /// Calls `body` with the normalised UTF-8 bytes of each word of `text`, in order, until it
    /// returns false. The buffer is only valid during the call.
    public static func forEachWord(in text: Substring, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) {
        withoutActuallyEscaping(body) { body in
            var sink = WordSink(body: body)
            let handled: Void? = text.utf8.withContiguousStorageIfAvailable { scan($0, into: &sink) }
            if handled == nil {
                let bytes = Array(text.utf8)
                bytes.withUnsafeBufferPointer { scan($0, into: &sink) }
            }
            sink.flush()
        }
    }

    /// The words of `text` as strings (for inspection and tests).
    public static func words(_ text: String) -> [String] {
        var result: [String] = []
        forEachWord(in: text[...]) { result.append(String(decoding: $0, as: UTF8.self)); return true }
        return result
    }

    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, into sink: inout WordSink) {
        var i = 0
        let n = bytes.count
        while i < n, !sink.stopped {
            let byte = bytes[i]
            if byte < 0x80 {
                i += 1
                switch byte {
                case 0x09, 0x0A, 0x0D, 0x20: sink.flush()
                case 0x00 ..< 0x20, 0x7F: continue                        // control: removed, no split
                case _ where byte.isASCIIPunctuation: sink.flush(); sink.append(byte); sink.flush()
                case 0x41 ... 0x5A: sink.append(byte | 0x20)             // A-Z → a-z
                default: sink.append(byte)
                }
                continue
            }
            let (scalar, length) = decodeScalar(bytes, at: i)
            i += length
            if scalar.isBertRemoved { continue }
            if scalar.isBertWhitespace { sink.flush(); continue }
            if scalar.isCJKIdeograph {
                sink.flush()
                for piece in normalized(scalar) { sink.append(piece) }
                sink.flush()
                continue
            }
            for piece in normalized(scalar) {
                if piece.isBertWhitespace {
                    sink.flush()
                } else if piece.isBertPunctuation {
                    sink.flush(); sink.append(piece); sink.flush()
                } else {
                    sink.append(piece)
                }
            }
        }
    }

    /// strip_accents then lowercase for one non-ASCII scalar: NFD, drop Mn, lower-case mapping.
    static func normalized(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        for part in String(Character(scalar)).decomposedStringWithCanonicalMapping.unicodeScalars
        where part.properties.generalCategory != .nonspacingMark {
            if part.value < 0x80 {
                result.append(part.value >= 0x41 && part.value <= 0x5A ? Unicode.Scalar(UInt8(part.value | 0x20)) : part)
            } else {
                result.append(contentsOf: part.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return result
    }

    /// Decodes the (valid, since it comes from a Swift string) UTF-8 sequence at `i`.
    @inline(__always)
    private static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int) {
        let b0 = UInt32(bytes[i])
        var value: UInt32, length: Int
        if b0 < 0xE0 {
            value = b0 & 0x1F; length = 2
        } else if b0 < 0xF0 {
            value = b0 & 0x0F; length = 3
        } else {
            value = b0 & 0x07; length = 4
        }
        for k in 1..<length where i + k < bytes.count { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }
}

/// Collects the bytes of the current word and hands finished words to the callback.
private struct WordSink {
    let body: (UnsafeBufferPointer<UInt8>) -> Bool
    var word: [UInt8] = []
    var stopped = false

    init(body: @escaping (UnsafeBufferPointer<UInt8>) -> Bool) {
        self.body = body
        word.reserveCapacity(128)
    }

    @inline(__always) mutating func append(_ byte: UInt8) { word.append(byte) }

    mutating func append(_ scalar: Unicode.Scalar) {
        UTF8.encode(scalar) { word.append($0) }
    }

    mutating func flush() {
        guard !word.isEmpty else { return }
        if !stopped, !word.withUnsafeBufferPointer(body) { stopped = true }
        word.removeAll(keepingCapacity: true)
    }
}
