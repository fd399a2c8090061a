import Tensors

/// sentence-transformers' mean pooling followed by its Normalize module:
///
///     v = (1/n) Σₜ hₜ   over the n tokens of the text ([CLS] and [SEP] included),
///     e = v / max(‖v‖₂, 1e-12)
///
/// With no padding in a ``TokenBatch`` the attention mask is all ones within each sequence.
enum Pooling {
    /// One unit-length [hidden] vector per sequence of `batch`, from the last hidden states
    /// `hidden` ([tokens, hidden]).
    static func meanNormalized(_ hidden: Matrix, _ batch: TokenBatch) -> [[Float]] {
        (0..<batch.count).map { s in
            let rows = batch.rows(s)
            var mean = [Float](repeating: 0, count: hidden.columns)
            mean.withUnsafeMutableBufferPointer { m in
                for r in rows { hidden.withRow(r) { addInPlace(m.baseAddress!, $0, count: hidden.columns) } }
            }
            let inverseCount = 1 / Float(max(rows.count, 1))
            var squares: Float = 0
            for c in mean.indices {
                mean[c] *= inverseCount
                squares += mean[c] * mean[c]
            }
            let scale = 1 / max(squares.squareRoot(), 1e-12)
            return mean.map { $0 * scale }
        }
    }
}
