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
    }

    private let candidates: [Candidate]

    init(tokens: [String], types: [TokenType]) {
        var list: [Candidate] = []
        for (index, type) in types.enumerated() where type == .control || type == .userDefined || type == .unknown {
            let bytes = Array(tokens[index].utf8)
            if bytes.isEmpty { continue }
            list.append(Candidate(id: Int32(index), bytes: bytes, isControl: type != .userDefined))
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
                    matchedAny = true
                }
                if start < range.upperBound { next.append(.text(start ..< range.upperBound)) }
            }
            if matchedAny { fragments = next }
        }
        return fragments
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

    /// Token texts llama.cpp treats as end of generation wherever they occur in a vocabulary
    /// (llama-vocab.cpp, `special_eog_ids`), besides the declared eos / eot / eom ids.
    static let endOfGenerationTexts: Set<String> = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>",
        "<EOT>", "_<EOT>", "<｜end▁of▁sentence｜>", "<|end_of_text|>",
    ]

    /// Texts that name an end-of-turn token, most specific first (used when `eot` is not declared).
    static let endOfTurnTexts = ["<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<EOT>", "_<EOT>", "<｜end▁of▁sentence｜>"]
}
