import CBLAS

/// `x · wᵀ (+ bias)`: x is [n, k], w is [m, k] (a linear layer's weight, [out, in]), result [n, m].
///
/// One OpenBLAS sgemm call. This is every linear layer of the encoder and the decoder's prefill.
public func multiply(_ x: Matrix, transposing w: Matrix, bias: [Float]? = nil) -> Matrix {
    precondition(x.columns == w.columns, "multiply: x is [\(x.rows), \(x.columns)], w is [\(w.rows), \(w.columns)]")
    var out = Matrix(rows: x.rows, columns: w.rows)
    if let bias {
        precondition(bias.count == w.rows, "multiply: bias has \(bias.count) values, expected \(w.rows)")
        for r in 0..<out.rows {
            out.values.replaceSubrange(r * out.columns ..< (r + 1) * out.columns, with: bias)
        }
    }
    x.values.withUnsafeBufferPointer { xp in
        w.values.withUnsafeBufferPointer { wp in
            out.values.withUnsafeMutableBufferPointer { op in
                sgemm(rows: x.rows, columns: w.rows, inner: x.columns,
                      a: xp.baseAddress!, lda: x.columns, transposeA: false,
                      b: wp.baseAddress!, ldb: w.columns, transposeB: true,
                      c: op.baseAddress!, ldc: w.rows, beta: bias == nil ? 0 : 1)
            }
        }
    }
    return out
}

/// `C = alpha · op(A) · op(B) + beta · C` with row-major operands; `op(A)` is [rows, inner] and
/// `op(B)` is [inner, columns]. A thin, named wrapper over `cblas_sgemm` (inside ``BLASGate``).
public func sgemm(rows: Int, columns: Int, inner: Int,
                  a: UnsafePointer<Float>, lda: Int, transposeA: Bool,
                  b: UnsafePointer<Float>, ldb: Int, transposeB: Bool,
                  c: UnsafeMutablePointer<Float>, ldc: Int,
                  alpha: Float = 1, beta: Float = 0) {
    BLASGate.call {
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(rows), Int32(columns), Int32(inner),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

/// `y = alpha · A · x + beta · y` for a row-major A of [rows, columns] (inside ``BLASGate``).
public func sgemv(rows: Int, columns: Int, a: UnsafePointer<Float>, lda: Int,
                  x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
                  alpha: Float = 1, beta: Float = 0) {
    BLASGate.call {
        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(rows), Int32(columns),
                    alpha, a, Int32(lda), x, 1, beta, y, 1)
    }
}
