/// `y += x · wᵀ + bias`: a linear layer whose output is added to `y` in place, as a
/// transformer's residual connection does. x is [n, k], w is [m, k] ([out, in]), y is [n, m].
///
/// The bias is added to y first and sgemm then accumulates into it (beta = 1), so the residual
/// sum costs no extra pass and no [n, m] temporary.
public func addProduct(_ x: Matrix, transposing w: Matrix, bias: [Float], into y: inout Matrix) {
    precondition(x.columns == w.columns && y.rows == x.rows && y.columns == w.rows && bias.count == w.rows,
                 "addProduct: x [\(x.rows), \(x.columns)], w [\(w.rows), \(w.columns)], y [\(y.rows), \(y.columns)], bias \(bias.count)")
    let columns = y.columns
    y.values.withUnsafeMutableBufferPointer { yp in
        let out = yp.baseAddress!
        bias.withUnsafeBufferPointer { b in
            for r in 0..<x.rows { addInPlace(out + r * columns, b.baseAddress!, count: columns) }
        }
        x.values.withUnsafeBufferPointer { xp in
            w.values.withUnsafeBufferPointer { wp in
                sgemm(rows: x.rows, columns: w.rows, inner: x.columns,
                      a: xp.baseAddress!, lda: x.columns, transposeA: false,
                      b: wp.baseAddress!, ldb: w.columns, transposeB: true,
                      c: out, ldc: columns, beta: 1)
            }
        }
    }
}

/// `gelu` applied to every element of `x` in place, split across threads when `parallel`.
public func geluRows(_ x: inout Matrix, parallel: Bool = true) {
    let count = x.values.count
    x.values.withUnsafeMutableBufferPointer { values in
        let base = values.baseAddress!
        // Ranges in whole blocks of 16 so that only the very last range has a tail.
        let blocks = (count + 15) / 16
        parallelFor(blocks, minimumPerThread: parallel ? 1024 : .max) { range in
            let start = range.lowerBound * 16
            let end = min(count, range.upperBound * 16)
            geluInPlace(base + start, count: end - start)
        }
    }
}
