/// A vocabulary entry's kind, as stored in `tokenizer.ggml.token_type` (llama.cpp `llama_token_type`).
public enum TokenType: Int32, Sendable {
    case undefined = 0, normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
}

/// The tokens matched verbatim in the text before BPE runs, and the end-of-generation set.
///
/// As llama.cpp's `tokenizer_st_partition`: the candidates are the CONTROL, USER_DEFINED and
/// UNKNOWN tokens, tried longest text first; each one splits every still-unmatched stretch of
/// text at each of its occurrences (leftmost first). With `parseSpecial` off, CONTROL and UNKNOWN
/// tokens are not matched (they are then ordinary text: `<|im_start|>` becomes seven tokens) but
/// USER_DEFINED ones still are. A match may sit inside a word: `a<|im_end|>b` → `a`, 2, `b`.
struct SpecialTokens: Sendable {
    /// One piece of the partitioned text: a byte range still to pre-tokenize, or a matched token.
    enum Fragment: Equatable {
        case text(Range<Int>)
        case token(Int32)
    }

    private struct Candidate {
        let id: Int32
        let bytes: [UInt8]
        let isControl: Bool // CONTROL or UNKNOWN: matched only when parsing special tokens
        let stripsRight: Bool // whitespace after a match is dropped (llama.cpp LLAMA_TOKEN_ATTR_RSTRIP)
    }

    private let candidates: [Candidate]

    /// `rightStripped`: the tokens that swallow the whitespace after them (see ``phi3RightStripped(tokens:types:)``).
    init(tokens: [String], types: [TokenType], rightStripped: Set<Int32> = []) {
        var list: [Candidate] = []
        for (index, type) in types.enumerated() where type == .control || type == .userDefined || type == .unknown {
            let bytes = Array(tokens[index].utf8)
            if bytes.isEmpty { continue }
            list.append(Candidate(id: Int32(index), bytes: bytes, isControl: type != .userDefined,
                                  stripsRight: rightStripped.contains(Int32(index))))
        }
        // Longest first; equal lengths by id, so the order is deterministic.
        candidates = list.sorted { $0.bytes.count != $1.bytes.count ? $0.bytes.count > $1.bytes.count : $0.id < $1.id }
    }

    /// Splits `text` into stretches of plain text and matched special tokens, in order.
    func partition(_ text: UnsafeBufferPointer<UInt8>, parseSpecial: Bool) -> [Fragment] {
        var fragments: [Fragment] = text.isEmpty ? [] : [.text(0 ..< text.count)]
        for candidate in candidates where parseSpecial || !candidate.isControl {
            var next: [Fragment] = []
            next.reserveCapacity(fragments.count + 2)
            var matchedAny = false
            for fragment in fragments {
                guard case let .text(range) = fragment else { next.append(fragment); continue }
                var start = range.lowerBound
                while let hit = Self.find(candidate.bytes, in: text, from: start, to: range.upperBound) {
                    if hit > start { next.append(.text(start ..< hit)) }
                    next.append(.token(candidate.id))
                    start = hit + candidate.bytes.count
                    if candidate.stripsRight { while start < range.upperBound, Self.isSpace(text[start]) { start += 1 } }
                    matchedAny = true
                }
                if start < range.upperBound { next.append(.text(start ..< range.upperBound)) }
            }
            if matchedAny { fragments = next }
        }
        return fragments
    }

    /// The concatenation of `segments` as bytes, partitioned: special tokens are recognised only
    /// in segments with `parseSpecial` (a chat template's markup), never in the others (message
    /// contents, retrieved passages). Plain stretches that meet across a segment boundary are
    /// joined, so when no content holds special-token text the result equals partitioning the
    /// joined text with `parseSpecial`.
    func partition(_ segments: [(text: String, parseSpecial: Bool)]) -> (bytes: [UInt8], fragments: [Fragment]) {
        var bytes: [UInt8] = []
        var fragments: [Fragment] = []
        for segment in segments {
            let start = bytes.count
            let utf8 = Array(segment.text.utf8)
            bytes += utf8
            let parts = utf8.withUnsafeBufferPointer { partition($0, parseSpecial: segment.parseSpecial) }
            for part in parts {
                switch part {
                case let .token(id):
                    fragments.append(.token(id))
                case let .text(range):
                    let shifted = start + range.lowerBound ..< start + range.upperBound
                    if case let .text(previous)? = fragments.last, previous.upperBound == shifted.lowerBound {
                        fragments[fragments.count - 1] = .text(previous.lowerBound ..< shifted.upperBound)
                    } else {
                        fragments.append(.text(shifted))
                    }
                }
            }
        }
        return (bytes, fragments)
    }

    /// C's `isspace`, which llama.cpp's strip uses: space, \t, \n, \v, \f, \r.
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09 ... 0x0D).contains(byte) }

    /// The tokens llama.cpp gives the RSTRIP attribute when the model's `general.name` contains
    /// `phi-3` or `phi3` (llama-vocab.cpp, "set attributes by model/tokenizer/architecture name"):
    /// every special token and `</s>`, except `<unk>`, `<s>` and `<|endoftext|>`. So
    /// `<|user|>\nHi` tokenizes as `<|user|>`, `▁Hi`.
    static func phi3RightStripped(tokens: [String], types: [TokenType]) -> Set<Int32> {
        var ids = Set<Int32>()
        for (index, type) in types.enumerated() where type == .control || type == .userDefined || type == .unknown || tokens[index] == "</s>" {
            if !["<unk>", "<s>", "<|endoftext|>"].contains(tokens[index]) { ids.insert(Int32(index)) }
        }
        return ids
    }

    /// The first index ≥ `from` where `needle` occurs wholly before `to`, or nil.
    private static func find(_ needle: [UInt8], in text: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        let n = needle.count
        guard n > 0, to - from >= n else { return nil }
        let first = needle[0]
        var i = from
        while i <= to - n {
            if text[i] == first {
                var k = 1
                while k < n, text[i + k] == needle[k] { k += 1 }
                if k == n { return i }
            }
            i += 1
        }
        return nil
    }

    /// The ids that end generation, as llama.cpp builds `special_eog_ids`: the declared eos /
    /// eot / eom ids plus every token whose text is in ``endOfGenerationTexts``; those gain the
    /// CONTROL attribute (a USER_DEFINED one too: matched only with `parseSpecial` from then on,
    /// as llama.cpp checks CONTROL first). `id` looks a text up in the vocabulary.
    static func endOfGeneration(declared: [Int32?], types: inout [TokenType], id: (String) -> Int32?) -> Set<Int32> {
        var ids = Set(declared.compactMap { $0 })
        for text in endOfGenerationTexts {
            guard let found = id(text) else { continue }
            ids.insert(found)
            types[Int(found)] = .control
        }
        // Gemma 4 (and PLaMo) have an ordinary `</s>`: with their marker token present it is
        // neither end of generation nor control (llama-vocab.cpp, "gemma4 and plamo").
        if ["<|tool_response>", "<|plamo:eos|>"].contains(where: { id($0).map(ids.contains) ?? false }),
           let s = id("</s>"), ids.contains(s) {
            ids.remove(s)
            types[Int(s)] = .normal
        }
        return ids
    }

    /// Token texts llama.cpp treats as end of generation wherever they occur in a vocabulary
    /// (llama-vocab.cpp, `special_eog_ids`), besides the declared eos / eot / eom ids.
    static let endOfGenerationTexts: Set<String> = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>",
        "<EOT>", "_<EOT>", "<｜end▁of▁sentence｜>", "<|end_of_text|>", "</s>",
        "<eos>", "<turn|>", "<|tool_response>",
    ]

    /// Texts that name an end-of-turn token, most specific first (used when `eot` is not declared).
    static let endOfTurnTexts = ["<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<EOT>", "_<EOT>", "<｜end▁of▁sentence｜>"]
}
