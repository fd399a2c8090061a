/// Splits a list of tokenised texts into batches for the encoder.
///
/// Batches carry no padding (``TokenBatch``), so grouping is about balance, not waste: the
/// number of batches is the smallest multiple of `lanes` (threads encoding batches side by
/// side) that keeps each batch near `tokenBudget` tokens, and texts are dealt longest first,
/// each to the batch with the fewest tokens so far (LPT scheduling). Every lane then gets about
/// the same number of tokens, big batches keep sgemm efficient, and the budget bounds memory
/// (the feed-forward activations are [tokens, 1536] floats). Within a batch, texts stay in
/// descending length, which balances the per-(text, head) attention work across threads.
struct BatchPlanner {
    /// About the most tokens in one batch.
    var tokenBudget: Int
    /// How many batches are encoded at once (one per thread).
    var lanes: Int

    /// Non-empty batches of indices into `lengths`, each batch's texts in descending length.
    func plan(lengths: [Int]) -> [[Int]] {
        guard !lengths.isEmpty else { return [] }
        let total = lengths.reduce(0, +)
        let lanes = max(1, self.lanes)
        let rounds = max(1, (total + tokenBudget * lanes - 1) / max(1, tokenBudget * lanes))
        let count = min(lengths.count, rounds * lanes)
        let order = lengths.indices.sorted { lengths[$0] != lengths[$1] ? lengths[$0] > lengths[$1] : $0 < $1 }
        var batches = [[Int]](repeating: [], count: count)
        var tokens = [Int](repeating: 0, count: count)
        for index in order {
            // The least-loaded batch (first one on ties, so the plan is deterministic).
            var target = 0
            for b in 1..<count where tokens[b] < tokens[target] { target = b }
            batches[target].append(index)
            tokens[target] += lengths[index]
        }
        return batches.filter { !$0.isEmpty }
    }
}
