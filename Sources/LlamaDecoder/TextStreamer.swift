import Tokenizers

/// Turns generated tokens into text pieces that are always whole UTF-8.
///
/// A byte-level BPE token can end in the middle of a multi-byte character (an emoji spans up to
/// four tokens), so each token's bytes are buffered and only the longest valid UTF-8 prefix is
/// released; the rest waits for the next token. SentencePiece byte-fallback tokens (`<0xF0>`)
/// are single bytes of a character and wait the same way. ``finish()`` releases what is left (invalid bytes
/// become U+FFFD).
public struct TextStreamer {
    private var pending: [UInt8] = []
    private let piece: (Int32) -> [UInt8]
    private var stripsLeadingSpace: Bool

    /// `piece` gives a token's raw bytes (the tokenizer's `piece(_:)`); with
    /// `stripsLeadingSpace`, the first token's piece loses one leading space.
    public init(piece: @escaping (Int32) -> [UInt8], stripsLeadingSpace: Bool = false) {
        self.piece = piece
        self.stripsLeadingSpace = stripsLeadingSpace
    }

    /// Streams `tokenizer`'s pieces so that the text shown equals `tokenizer.decode` of all the
    /// tokens: a SentencePiece vocabulary's first piece loses its space prefix (`▁Paris` shows
    /// as `Paris`), and byte-fallback tokens (`<0xE2>`) wait until their character is whole.
    public init(tokenizer: any DecoderTokenizer) {
        self.init(piece: { tokenizer.piece($0) }, stripsLeadingSpace: tokenizer.decodingStripsLeadingSpace)
    }

    /// The text that `token` completes; empty while a character is incomplete.
    public mutating func append(_ token: Int32) -> String {
        let bytes = piece(token)
        // As llama.cpp's detokenizer: only the very first token may lose its space.
        pending += stripsLeadingSpace && bytes.first == 0x20 ? bytes.dropFirst() : bytes[...]
        stripsLeadingSpace = false
        let valid = Self.validPrefixLength(pending)
        guard valid > 0 else { return "" }
        let text = String(decoding: pending[..<valid], as: UTF8.self)
        pending.removeFirst(valid)
        return text
    }

    /// Whatever is still buffered.
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// Length of the longest prefix of `bytes` that does not end inside a multi-byte character.
    /// Bytes that can never start or continue a character are let through (decoded as U+FFFD),
    /// so a stray byte cannot stall the stream.
    static func validPrefixLength(_ bytes: [UInt8]) -> Int {
        var i = bytes.count
        // Look back at most 3 bytes for the start of an unfinished sequence.
        var back = 0
        while back < 3, i > 0, bytes[i - 1] & 0xC0 == 0x80 { i -= 1; back += 1 }
        guard i > 0 else { return back == bytes.count && back == 3 ? bytes.count : 0 }
        let lead = bytes[i - 1]
        let needed: Int
        switch lead {
        case 0xC0...0xDF: needed = 2
        case 0xE0...0xEF: needed = 3
        case 0xF0...0xF7: needed = 4
        default: return bytes.count      // ASCII or a stray byte: everything is complete
        }
        let have = bytes.count - (i - 1)
        return have >= needed ? bytes.count : i - 1
    }
}
