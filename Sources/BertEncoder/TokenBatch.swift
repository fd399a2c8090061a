/// Several texts' token ids packed end to end with no padding: every linear layer then runs
/// as one sgemm over all tokens of the batch, and no work is spent on padding.
struct TokenBatch: Sendable {
    /// All ids, sequence after sequence: [tokens].
    let ids: [Int32]
    /// Sequence s is `ids[starts[s] ..< starts[s + 1]]`; `starts.count` = sequences + 1.
    let starts: [Int]

    init(_ sequences: [[Int32]]) {
        var ids: [Int32] = []
        ids.reserveCapacity(sequences.reduce(0) { $0 + $1.count })
        var starts = [0]
        for sequence in sequences {
            ids.append(contentsOf: sequence)
            starts.append(ids.count)
        }
        self.ids = ids
        self.starts = starts
    }

    /// Number of sequences.
    var count: Int { starts.count - 1 }
    /// Number of tokens in all sequences.
    var tokenCount: Int { ids.count }
    /// Rows of sequence `s` in the packed [tokens, hidden] matrices.
    func rows(_ s: Int) -> Range<Int> { starts[s] ..< starts[s + 1] }
    /// The longest sequence.
    var longest: Int { (0..<count).map { rows($0).count }.max() ?? 0 }
}
