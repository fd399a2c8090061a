/// Gemma 4's vocabulary (`tokenizer.ggml.model = gemma4`): SentencePiece's spelling (spaces as `▁`,
/// raw UTF-8, `<0xXX>` byte tokens) with byte-pair merges by rank instead of by score.
///
/// As llama.cpp's `llm_tokenizer_bpe_session` with pre-tokenizer `gemma4` (llama-vocab.cpp):
/// there is no space prefix; the `▁`-escaped text is split into runs of newlines and runs of
/// anything else (`[^\n]+|[\n]+`); a run of newlines that is itself a token is kept whole
/// (llama.cpp PR 21343); every other run starts as one symbol per UTF-8 character and the
/// adjacent pair of lowest rank (leftmost on ties) is merged until no ranked pair is left. A final
/// symbol that is not a token is spelled as `<0xXX>` byte tokens (bytes without one are dropped).
extension SentencePieceTokenizer {
    /// The rank of each merge rule, keyed by `left 0xFF right` (0xFF never occurs in UTF-8);
    /// the rule splits at the first space after its first byte, and the first of duplicates wins.
    static func mergeRanks(_ merges: [String]) -> [[UInt8]: Int32] {
        var ranks: [[UInt8]: Int32] = [:]
        ranks.reserveCapacity(merges.count)
        for (rank, rule) in merges.enumerated() {
            var key = Array(rule.utf8)
            guard key.count >= 3, let space = key[1...].firstIndex(of: 0x20) else { continue }
            key[space] = 0xFF
            if ranks[key] == nil { ranks[key] = Int32(rank) }
        }
        return ranks
    }

    /// Appends the ids of `text` (already `▁`-escaped), merged by rank.
    func appendRankMerged(_ text: [UInt8], to ids: inout [Int32]) {
        var start = 0
        while start < text.count {
            let newlines = text[start] == 0x0A
            var end = start + 1
            while end < text.count, (text[end] == 0x0A) == newlines { end += 1 }
            let run = Array(text[start ..< end])
            if newlines, let id = idForBytes[run] {
                ids.append(id)
            } else {
                appendRankMergedRun(run, to: &ids)
            }
            start = end
        }
    }

    private func appendRankMergedRun(_ text: [UInt8], to ids: inout [Int32]) {
        guard let ranks = mergeRanks else { return }
        var symbols: [Symbol] = []
        var offset = 0
        while offset < text.count {
            let lead = text[offset]
            let length = min(lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4, text.count - offset)
            offset += length
            symbols.append(Symbol(start: offset - length, length: length, previous: symbols.count - 1,
                                  next: offset == text.count ? -1 : symbols.count + 1))
        }

        // The queue orders by "score", higher first: the negated rank puts the lowest rank first,
        // and ties go to the leftmost pair as in llama.cpp's `llm_bigram_bpe::comparator`.
        var queue = SymbolPairQueue()
        func queuePair(_ left: Int, _ right: Int) {
            guard left >= 0, right >= 0 else { return }
            let l = symbols[left], r = symbols[right]
            let key = Array(text[l.start ..< l.start + l.length]) + [0xFF] + Array(text[r.start ..< r.start + r.length])
            guard let rank = ranks[key] else { return }
            queue.push(SymbolPair(left: left, right: right, score: -Float(rank), size: l.length + r.length))
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

        var i = symbols.isEmpty ? -1 : 0
        while i >= 0 {
            let symbol = symbols[i]
            let bytes = text[symbol.start ..< symbol.start + symbol.length]
            if let id = idForBytes[Array(bytes)] {
                ids.append(id)
            } else {
                for byte in bytes { if let id = idForBytes[Array(Self.byteTokenText(byte).utf8)] { ids.append(id) } }
            }
            i = symbol.next
        }
    }
}
