import CKernels

/// A linear layer's weight [out, in] rounded to bfloat16 (float32's upper 16 bits, rounded to
/// nearest even). The product rounds each activation to bf16 as well; the products of two bf16
/// values are exact in float32 and are summed in float32:
///
///     out[t][n] = Σ_k bf16(x[t][k]) · bf16(W[n][k]) + b[n]
///
/// On a CPU with AVX-512 BF16 this is `vdpbf16ps` (CKernels `EncoderBF16.c`); elsewhere a
/// portable C loop gives the same products summed in another order (slow: it exists so that an
/// index built with bf16 can still be queried there). ``multiplyScalar(_:bias:)`` is the reference.
public struct BF16Weight: PackedLinearWeight, @unchecked Sendable {
    /// Output features.
    public let rows: Int
    /// Input features (even).
    public let columns: Int
    /// The rounded weights as bf16 bit patterns, [rows, columns] (for the scalar twin and tests).
    public let values: [UInt16]
    let packed: PackedWeights

    /// Rounds `weight` ([out, in], `in` even) to bf16.
    public init(rounding weight: Matrix) {
        precondition(weight.columns % 2 == 0, "BF16Weight: \(weight.columns) columns, expected an even count")
        rows = weight.rows
        columns = weight.columns
        values = weight.values.map(bfloat16Bits)
        packed = PackedWeights(byteCount: trove_bf16_packed_bytes(Int32(rows), Int32(columns)))
        weight.values.withUnsafeBufferPointer { w in
            trove_bf16_pack(w.baseAddress!, Int32(rows), Int32(columns), packed.base)
        }
    }

    /// True when the CPU has AVX-512 BF16 (otherwise the portable path runs, much slower).
    public static var hasHardwareSupport: Bool { trove_bf16_hardware() != 0 }

    /// out = x · Wᵀ + bias, or out += it when `accumulate` (``PackedLinearWeight``).
    func run(_ x: Matrix, bias: [Float], into out: UnsafeMutableBufferPointer<Float>, accumulate: Bool, parallel: Bool) {
        precondition(x.columns == columns && out.count == x.rows * rows && bias.count == rows,
                     "BF16Weight: x [\(x.rows), \(x.columns)], W [\(rows), \(columns)], out \(out.count) values")
        let tokens = x.rows, k = columns, n = rows
        let halves = [UInt16](unsafeUninitializedCapacity: tokens * k) { h, count in
            x.values.withUnsafeBufferPointer { xp in
                trove_bf16_convert_rows(xp.baseAddress!, Int32(k), Int32(tokens), Int32(k), h.baseAddress!)
            }
            count = tokens * k
        }
        let panels = (n + 31) / 32
        halves.withUnsafeBufferPointer { h in
            bias.withUnsafeBufferPointer { b in
                do { let o = out
                    parallelFor(panels, minimumPerThread: parallel ? 1 : .max) { range in
                        trove_bf16_gemm(packed.base, Int32(n), Int32(k), h.baseAddress!, Int32(tokens),
                                        b.baseAddress!, o.baseAddress!, Int32(n), accumulate ? 1 : 0,
                                        Int32(range.lowerBound * 32), Int32(min(n, range.upperBound * 32)))
                    }
                }
            }
        }
    }

    /// The scalar twin of ``multiply(_:bias:parallel:)``: the same roundings, products summed in
    /// float64 (so tests bound the kernels' float32 sums by Σ|products| · 2⁻²⁰ or so).
    public func multiplyScalar(_ x: Matrix, bias: [Float]) -> Matrix {
        var out = Matrix(rows: x.rows, columns: rows)
        for t in 0..<x.rows {
            let row = (0..<columns).map { Double(floatFromBFloat16(bfloat16Bits(x[t, $0]))) }
            for n in 0..<rows {
                var sum = 0.0
                for k in 0..<columns { sum += row[k] * Double(floatFromBFloat16(values[n * columns + k])) }
                out[t, n] = Float(sum + Double(bias[n]))
            }
        }
        return out
    }
}

/// float32 → bfloat16 bits, rounded to nearest even; NaN stays NaN; subnormals become a signed
/// zero (as AVX-512 BF16's conversions do).
public func bfloat16Bits(_ value: Float) -> UInt16 {
    let bits = value.bitPattern
    if bits & 0x7f80_0000 == 0 { return UInt16((bits >> 16) & 0x8000) }
    if bits & 0x7fff_ffff > 0x7f80_0000 { return UInt16(truncatingIfNeeded: bits >> 16) | 0x40 }
    return UInt16(truncatingIfNeeded: (bits &+ 0x7fff &+ ((bits >> 16) & 1)) >> 16)
}

/// The float32 value of bfloat16 bits (exact).
public func floatFromBFloat16(_ bits: UInt16) -> Float {
    Float(bitPattern: UInt32(bits) << 16)
}

/// Which instruction set the encoder's bf16 kernels use (CKernels).
public enum BF16Kernels {
    /// 0 portable C, 5 AVX-512 BF16.
    public static var level: Int { Int(trove_bf16_level()) }
    /// Forces a level (capped at what the CPU supports); tests use it to check every path.
    public static func force(level: Int) { trove_set_bf16_level(Int32(level)) }
}
