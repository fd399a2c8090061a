/// SentencePiece's merge loop over one stretch of text, as llama.cpp's `llm_tokenizer_spm_session`.
///
/// The text starts as one symbol per UTF-8 character. Every adjacent pair whose joined text is a
/// token is queued with that token's score; the best-scoring pair (leftmost on ties) is merged,
/// and the merged symbol's pairs with its neighbours are queued in turn, until no pair is left.
/// A final symbol that is a token gives its id; one that is not (a character outside the
/// vocabulary) gives one byte token per byte (byte fallback, `<0xE4><0xB8><0x80>`).
extension SentencePieceTokenizer {
    /// A run of the text: `length` bytes from `start`, linked to its neighbours (-1: none).
    /// A symbol merged into its left neighbour has length 0.
    struct Symbol {
        var start: Int
        var length: Int
        var previous: Int
        var next: Int
    }

    /// Two adjacent symbols whose joined text is a token of score `score`, `size` bytes long
    /// when queued (a stale pair no longer adds up to it).
    struct SymbolPair: MergeCandidate {
        let left: Int
        let right: Int
        let score: Float
        let size: Int

        /// Higher score first; on equal scores the leftmost pair (llama.cpp `llm_bigram_spm::comparator`).
        func precedes(_ other: SymbolPair) -> Bool {
            score != other.score ? score > other.score : left < other.left
        }
    }

    /// Appends the ids of `text` (already `▁`-escaped) to `ids`.
    func appendMerged(_ text: [UInt8], to ids: inout [Int32]) {
        var symbols = Self.characterSymbols(text)
        Self.merge(&symbols) { l, r in idForBytes[Array(text[l.start ..< r.start + r.length])].map { scores[Int($0)] } }

        // llama.cpp throws when a byte has no token at all; here it is left out.
        appendIDs(of: symbols, in: text, to: &ids) { byteTokens[Int($0)] >= 0 ? byteTokens[Int($0)] : nil }
    }

    /// Appends the id of each merged symbol, in order; a symbol that is no token gives
    /// `byteFallback` of each of its bytes (nil: nothing).
    func appendIDs(of symbols: [Symbol], in text: [UInt8], to ids: inout [Int32], byteFallback: (UInt8) -> Int32?) {
        var i = symbols.isEmpty ? -1 : 0
        while i >= 0 {
            let symbol = symbols[i]
            let bytes = text[symbol.start ..< symbol.start + symbol.length]
            if let id = idForBytes[Array(bytes)] {
                ids.append(id)
            } else {
                ids.append(contentsOf: bytes.compactMap(byteFallback))
            }
            i = symbol.next
        }
    }

    /// `text` as one symbol per UTF-8 character: llama.cpp's `unicode_len_utf8`, the length a
    /// lead byte announces, cut at the end of the text.
    static func characterSymbols(_ text: [UInt8]) -> [Symbol] {
        var symbols: [Symbol] = []
        symbols.reserveCapacity(text.count)
        var offset = 0
        while offset < text.count {
            let lead = text[offset]
            let length = min(lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4, text.count - offset)
            offset += length
            symbols.append(Symbol(start: offset - length, length: length, previous: symbols.count - 1,
                                  next: offset == text.count ? -1 : symbols.count + 1))
        }
        return symbols
    }

    /// Merges adjacent symbols, the best-scored pair first (leftmost on ties), until no pair has a
    /// score: `score(left, right)` scores joining two adjacent symbols, nil when they do not merge.
    /// Merged-away symbols keep length 0; follow `next` from symbol 0.
    static func merge(_ symbols: inout [Symbol], score: (Symbol, Symbol) -> Float?) {
        var queue = MergeQueue<SymbolPair>()
        func queuePair(_ left: Int, _ right: Int) {
            guard left >= 0, right >= 0 else { return }
            guard let value = score(symbols[left], symbols[right]) else { return }
            queue.push(SymbolPair(left: left, right: right, score: value, size: symbols[left].length + symbols[right].length))
        }
        for i in symbols.indices.dropFirst() { queuePair(i - 1, i) }

        while let pair = queue.pop() {
            let l = pair.left, r = pair.right
            // Stale unless the two still join into the queued text (llama.cpp compares the text;
            // for adjacent symbols from the same start that is the same as comparing the size).
            guard symbols[l].length > 0, symbols[r].length > 0, symbols[l].length + symbols[r].length == pair.size else { continue }
            symbols[l].length += symbols[r].length
            symbols[r].length = 0
            symbols[l].next = symbols[r].next
            if symbols[r].next >= 0 { symbols[symbols[r].next].previous = l }
            queuePair(symbols[l].previous, l)
            queuePair(l, symbols[l].next)
        }
    }
}
