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
        var symbols = Self.characterSymbols(text)
        // The merge takes the higher score first: the negated rank puts the lowest rank first, and
        // ties go to the leftmost pair as in llama.cpp's `llm_bigram_bpe::comparator`. A rank is
        // looked up by the two texts joined with 0xFF (which UTF-8 never holds): `mergeRanks`.
        Self.merge(&symbols) { l, r in
            let key = Array(text[l.start ..< l.start + l.length]) + [0xFF] + Array(text[r.start ..< r.start + r.length])
            return ranks[key].map { -Float($0) }
        }

        appendIDs(of: symbols, in: text, to: &ids) { idForBytes[Array(Self.byteTokenText($0).utf8)] }
    }
}
