import CKernels

/// A linear layer's float32 weight [out, in], packed once for the encoder's AVX-512 kernel
/// (CKernels `EncoderF32.c`): exact float32, one fused multiply-add chain per output element with
/// k in order, then the bias:
///
///     out[t][n] = fma(x[t][K−1], W[n][K−1], … fma(x[t][0], W[n][0], 0)) + b[n]
///
/// It replaces OpenBLAS's sgemm on CPUs with AVX-512 (``LinearLayer`` chooses at load): the weights
/// never change, so they are laid out in the kernel's panels at load rather than by sgemm on every
/// call, and its micro-kernel runs nearer the FMA peak. Each element being one fixed chain, the
/// result does not depend on the thread count, on the other texts of a batch or on where in the
/// batch a token sits. ``multiplyScalar(_:weight:bias:)`` is the reference (the same bits).
public struct F32Weight: PackedLinearWeight, @unchecked Sendable {
    /// Output features.
    public let rows: Int
    /// Input features.
    public let columns: Int
    /// The kernel's panel layout of the weight.
    let packed: PackedWeights

    /// Packs `weight` ([out, in]).
    public init(packing weight: Matrix) {
        rows = weight.rows
        columns = weight.columns
        packed = PackedWeights(byteCount: trove_f32_packed_bytes(Int32(rows), Int32(columns)))
        weight.values.withUnsafeBufferPointer { w in
            trove_f32_pack(w.baseAddress!, Int32(rows), Int32(columns), packed.base)
        }
    }

    /// out = x · Wᵀ + bias, or out += it when `accumulate` (``PackedLinearWeight``), with the
    /// kernels of ``F32Kernels/level``.
    func run(_ x: Matrix, bias: [Float], into out: UnsafeMutableBufferPointer<Float>, accumulate: Bool, parallel: Bool) {
        run(x, bias: bias, into: out, accumulate: accumulate, parallel: parallel, level: F32Kernels.level)
    }

    /// `gelu(x · Wᵀ + bias)` with GELU applied to the sums before they are stored (one pass over
    /// the result, not two); the bits of ``multiply(_:bias:parallel:)`` then ``geluRows(_:parallel:)``
    /// at level 5.
    func multiplyGELU(_ x: Matrix, bias: [Float], parallel: Bool, level: Int = F32Kernels.level) -> Matrix {
        Matrix(rows: x.rows, columns: rows) { out in
            run(x, bias: bias, into: out, accumulate: false, parallel: parallel, level: level, gelu: true)
        }
    }

    /// The same with the kernel level given (0 portable C, 5 AVX-512): tests run both without
    /// changing a process-wide setting.
    func run(_ x: Matrix, bias: [Float], into out: UnsafeMutableBufferPointer<Float>, accumulate: Bool, parallel: Bool, level: Int,
             gelu: Bool = false) {
        precondition(x.columns == columns && out.count == x.rows * rows && bias.count == rows,
                     "F32Weight: x [\(x.rows), \(x.columns)], W [\(rows), \(columns)], out \(out.count) values")
        let tokens = x.rows, k = columns, n = rows
        let panel = Int(trove_f32_panel_rows())
        let panels = (n + panel - 1) / panel
        x.values.withUnsafeBufferPointer { xp in
            bias.withUnsafeBufferPointer { b in
                do { let o = out
                    parallelFor(panels, minimumPerThread: parallel ? 1 : .max) { range in
                        trove_f32_gemm(packed.base, Int32(n), Int32(k), xp.baseAddress!, Int32(k), Int32(tokens),
                                       b.baseAddress!, o.baseAddress!, Int32(n), accumulate ? 1 : 0, gelu ? 1 : 0,
                                       Int32(range.lowerBound * panel), Int32(min(n, range.upperBound * panel)), Int32(level))
                    }
                }
            }
        }
    }

    /// `x · Wᵀ + bias` at a given kernel level (tests).
    public func multiply(_ x: Matrix, bias: [Float], parallel: Bool, level: Int) -> Matrix {
        Matrix(rows: x.rows, columns: rows) { out in
            run(x, bias: bias, into: out, accumulate: false, parallel: parallel, level: level)
        }
    }

    /// The scalar twin: the same fused multiply-add chain per element, in Swift.
    public static func multiplyScalar(_ x: Matrix, weight: Matrix, bias: [Float]) -> Matrix {
        var out = Matrix(rows: x.rows, columns: weight.rows)
        for t in 0..<x.rows {
            for n in 0..<weight.rows {
                var c: Float = 0
                for k in 0..<x.columns { c = c.addingProduct(x[t, k], weight[n, k]) }
                out[t, n] = c + bias[n]
            }
        }
        return out
    }
}

/// Which instruction set the encoder's fp32 linear layers use (CKernels).
public enum F32Kernels {
    /// 5 where the encoder's AVX-512 kernels run (``LinearLayer`` then packs fp32 weights for
    /// them), else 0 (OpenBLAS sgemm; the portable C kernel exists for tests).
    public static var level: Int { trove_encoder_avx512() != 0 ? 5 : 0 }

    /// Makes the encoder take its AVX2 paths from now on (OpenBLAS sgemm, sgemm attention, 8-lane
    /// GELU): how an AVX2-only CPU is measured on an AVX-512 one. Layers already loaded keep
    /// their packing; call it before loading a model.
    public static func disableAVX512() { trove_encoder_disable_avx512() }
}
