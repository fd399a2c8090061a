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
    struct SymbolPair {
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
        var symbols: [Symbol] = []
        symbols.reserveCapacity(text.count)
        var offset = 0
        while offset < text.count {
            // llama.cpp `unicode_len_utf8`: the length a lead byte announces, cut at the end.
            let lead = text[offset]
            let length = min(lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4, text.count - offset)
            offset += length
            symbols.append(Symbol(start: offset - length, length: length, previous: symbols.count - 1,
                                  next: offset == text.count ? -1 : symbols.count + 1))
        }

        var queue = SymbolPairQueue()
        func queuePair(_ left: Int, _ right: Int) {
            guard left >= 0, right >= 0 else { return }
            let start = symbols[left].start
            let size = symbols[left].length + symbols[right].length
            guard let id = idForBytes[Array(text[start ..< start + size])] else { return }
            queue.push(SymbolPair(left: left, right: right, score: scores[Int(id)], size: size))
        }
        for i in symbols.indices.dropFirst() { queuePair(i - 1, i) }

        while let pair = queue.pop() {
            let l = pair.left, r = pair.right
            guard symbols[l].length > 0, symbols[r].length > 0, symbols[l].length + symbols[r].length == pair.size else { continue }
            symbols[l].length += symbols[r].length
            symbols[r].length = 0
            symbols[l].next = symbols[r].next
            if symbols[r].next >= 0 { symbols[symbols[r].next].previous = l }
            queuePair(symbols[l].previous, l)
            queuePair(l, symbols[l].next)
        }

        var i = symbols.isEmpty ? -1 : 0
        while i >= 0 {
            let symbol = symbols[i]
            let bytes = text[symbol.start ..< symbol.start + symbol.length]
            if let id = idForBytes[Array(bytes)] {
                ids.append(id)
            } else {
                // llama.cpp throws when a byte has no token at all; here it is left out.
                for byte in bytes where byteTokens[Int(byte)] >= 0 { ids.append(byteTokens[Int(byte)]) }
            }
            i = symbol.next
        }
    }
}

/// A binary heap of symbol pairs, best first.
struct SymbolPairQueue {
    private var heap: [SentencePieceTokenizer.SymbolPair] = []

    mutating func push(_ pair: SentencePieceTokenizer.SymbolPair) {
        heap.append(pair)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> SentencePieceTokenizer.SymbolPair? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let l = 2 * parent + 1, r = l + 1
                var best = parent
                if l < heap.count, heap[l].precedes(heap[best]) { best = l }
                if r < heap.count, heap[r].precedes(heap[best]) { best = r }
                if best == parent { break }
                heap.swapAt(parent, best)
                parent = best
            }
        }
        return top
    }
}
