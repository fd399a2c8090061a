import CKernels

/// A linear layer's weight [out, in] in int8: each row in groups of 64 along k, one float scale
/// per group (w ≈ scale · q, q in [-127, 127], scale = max|w| of the group / 127).
///
/// The product quantises each activation row on the fly, in the same groups of 64 (one scale per
/// token and group: max|x| / 127; one scale per whole row let MiniLM's few outlier features
/// flatten the rest), and sums each group's products exactly in int32; groups are then summed in
/// float32:
///
///     out[t][n] = Σ_g (s_x[t][g] · s_w[n][g]) · Σ_{k∈g} q_x[t][k] · q_w[n][k] + b[n]
///
/// The kernels (CKernels `EncoderInt8.c`: AVX-512 VNNI, AVX2 or portable C, chosen at run time)
/// give the same bits as ``multiplyScalar(_:bias:)``, the reference in tests.
public struct Int8Weight: PackedLinearWeight, @unchecked Sendable {
    /// Output features.
    public let rows: Int
    /// Input features (a multiple of ``groupSize``).
    public let columns: Int
    /// The quantised weights, [rows, columns] row-major (kept for the scalar twin and tests).
    public let values: [Int8]
    /// One scale per row and group: [rows, columns / groupSize].
    public let scales: [Float]
    /// The kernels' panel layout of `values` and `scales`.
    let packed: PackedWeights

    /// Weights per scale along k.
    public static let groupSize = Int(TROVE_I8_GROUP)

    /// Quantises `weight` ([out, in]; `in` must be a multiple of 64, checked by the caller).
    public init(quantizing weight: Matrix) {
        let rows = weight.rows, columns = weight.columns, groups = columns / Self.groupSize
        var values = [Int8](repeating: 0, count: rows * columns)
        var scales = [Float](repeating: 0, count: rows * groups)
        for r in 0..<rows {
            for g in 0..<groups {
                let start = r * columns + g * Self.groupSize
                var top: Float = 0
                for k in start ..< start + Self.groupSize { top = max(top, abs(weight.values[k])) }
                guard top > 0 else { continue }
                let inverse = 127 / top
                scales[r * groups + g] = top / 127
                for k in start ..< start + Self.groupSize {
                    values[k] = Int8(max(-127, min(127, (weight.values[k] * inverse).rounded(.toNearestOrEven))))
                }
            }
        }
        self.init(rows: rows, columns: columns, values: values, scales: scales)
    }

    /// Weights already quantised: `values` [rows, columns], `scales` [rows, columns / 64].
    public init(rows: Int, columns: Int, values: [Int8], scales: [Float]) {
        precondition(columns % Self.groupSize == 0 && values.count == rows * columns
                     && scales.count == rows * columns / Self.groupSize, "Int8Weight: inconsistent shape")
        self.rows = rows
        self.columns = columns
        self.values = values
        self.scales = scales
        packed = PackedWeights(byteCount: trove_i8_packed_bytes(Int32(rows), Int32(columns)))
        values.withUnsafeBufferPointer { q in
            scales.withUnsafeBufferPointer { s in
                trove_i8_pack(q.baseAddress!, s.baseAddress!, Int32(rows), Int32(columns), packed.base)
            }
        }
    }

    /// out = x · Wᵀ + bias, or out += it when `accumulate` (``PackedLinearWeight``).
    func run(_ x: Matrix, bias: [Float], into out: UnsafeMutableBufferPointer<Float>, accumulate: Bool, parallel: Bool) {
        precondition(x.columns == columns && out.count == x.rows * rows && bias.count == rows,
                     "Int8Weight: x [\(x.rows), \(x.columns)], W [\(rows), \(columns)], out \(out.count) values")
        let tokens = x.rows, k = columns, n = rows
        // Every byte and scale is written by the quantiser: no zero-filling first.
        var tokenScales = [Float](unsafeUninitializedCapacity: tokens * k / Self.groupSize) { _, count in count = tokens * k / Self.groupSize }
        let quantized = [UInt8](unsafeUninitializedCapacity: tokens * k) { u, count in
            x.values.withUnsafeBufferPointer { xp in
                tokenScales.withUnsafeMutableBufferPointer { s in
                    trove_i8_quantize_rows(xp.baseAddress!, Int32(k), Int32(tokens), Int32(k), u.baseAddress!, s.baseAddress!)
                }
            }
            count = tokens * k
        }
        let panels = (n + 31) / 32
        quantized.withUnsafeBufferPointer { u in
            tokenScales.withUnsafeBufferPointer { s in
                bias.withUnsafeBufferPointer { b in
                    do { let o = out
                        parallelFor(panels, minimumPerThread: parallel ? 1 : .max) { range in
                            trove_i8_gemm(packed.base, Int32(n), Int32(k), u.baseAddress!, s.baseAddress!, Int32(tokens),
                                          b.baseAddress!, o.baseAddress!, Int32(n), accumulate ? 1 : 0,
                                          Int32(range.lowerBound * 32), Int32(min(n, range.upperBound * 32)))
                        }
                    }
                }
            }
        }
    }

    /// The scalar twin of ``multiply(_:bias:parallel:)``: the same quantisation of x, exact int32
    /// group sums, and the same float32 operations in the same order.
    public func multiplyScalar(_ x: Matrix, bias: [Float]) -> Matrix {
        let groups = columns / Self.groupSize
        var out = Matrix(rows: x.rows, columns: rows)
        for t in 0..<x.rows {
            var q = [Int32](repeating: 0, count: columns)
            var tokenScales = [Float](repeating: 0, count: groups)
            for g in 0..<groups {
                let range = t * columns + g * Self.groupSize ..< t * columns + (g + 1) * Self.groupSize
                let top = x.values[range].reduce(Float(0)) { max($0, abs($1)) }
                let inverse: Float = top == 0 ? 0 : 127 / top
                tokenScales[g] = top / 127
                for i in range {
                    q[i - t * columns] = Int32(max(-127, min(127, (x.values[i] * inverse).rounded(.toNearestOrEven))))
                }
            }
            for n in 0..<rows {
                var acc: Float = 0
                for g in 0..<groups {
                    var sum: Int32 = 0
                    for k in g * Self.groupSize ..< (g + 1) * Self.groupSize { sum += q[k] * Int32(values[n * columns + k]) }
                    acc = acc.addingProduct(Float(sum), tokenScales[g] * scales[n * groups + g])
                }
                out[t, n] = acc + bias[n]
            }
        }
        return out
    }
}

/// Which instruction set the encoder's int8 kernels use (CKernels), chosen once from the CPU.
public enum Int8Kernels {
    /// 0 portable C, 2 AVX2 (vpmaddubsw), 5 AVX-512 VNNI (vpdpbusd).
    public static var level: Int { Int(trove_i8_level()) }
    /// Forces a level (capped at what the CPU supports); tests use it to check every path.
    public static func force(level: Int) { trove_set_i8_level(Int32(level)) }
}

/// Memory for packed weights, 64-byte aligned, freed with the last copy of the weight.
final class PackedWeights: @unchecked Sendable {
    let base: UnsafeMutableRawPointer

    init(byteCount: Int) {
        base = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 64), alignment: 64)
    }

    deinit { base.deallocate() }
}
