/// Splits a list of tokenised texts into batches for the encoder.
///
/// Texts are taken longest first and packed greedily up to `tokenBudget` tokens per batch:
/// big batches keep sgemm efficient, the budget bounds memory (the feed-forward activations are
/// [tokens, 1536] floats), and sequences of similar length side by side balance the per-sequence
/// attention work across threads. Results are put back in input order by the caller.
struct BatchPlanner {
    /// Most tokens in one batch (a single longer text still gets a batch of its own).
    var tokenBudget: Int

    /// Batches of indices into `lengths`, each batch's texts in descending length.
    func plan(lengths: [Int]) -> [[Int]] {
        let order = lengths.indices.sorted { lengths[$0] != lengths[$1] ? lengths[$0] > lengths[$1] : $0 < $1 }
        var batches: [[Int]] = []
        var current: [Int] = []
        var tokens = 0
        for index in order {
            if !current.isEmpty, tokens + lengths[index] > tokenBudget {
                batches.append(current)
                current = []
                tokens = 0
            }
            current.append(index)
            tokens += lengths[index]
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }
}
