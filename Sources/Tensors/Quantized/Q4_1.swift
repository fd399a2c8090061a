import CKernels

/// ggml's Q4_1 block: 32 weights in 20 bytes, `value = d·q + m` with q ∈ 0…15.
///
/// Layout (`block_q4_1` in ggml-common.h): f16 d, f16 m, then 16 bytes of nibbles. Byte j holds
/// element j in its low nibble and element j + 16 in its high nibble, so the low nibbles are
/// elements 0–15 and the high nibbles 16–31.
public enum Q4_1 {
    /// Weights per block.
    public static let blockSize = 32
    /// Bytes per block: 2 (d) + 2 (m) + 16 (nibbles).
    public static let bytesPerBlock = 20

    /// Dequantises `count` weights (a multiple of 32) from `blocks` into `output`, exactly
    /// (CKernels: AVX-512, AVX2 or portable C; Swift's SIMD integer-to-float conversions do
    /// not vectorise, so the hot loops live in C).
    @inlinable
    public static func dequantize(_ blocks: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        trove_dequantize(Int32(TROVE_Q4_1), blocks, output, Int32(count))
    }

    /// `Σ_i w_i · x_i` over one row of `count` weights (a multiple of 32) read straight from the
    /// blocks, float32 accumulation (CKernels). Computed as Σ_b (d_b·Σ_j q_j x_j + m_b·Σ_j x_j):
    /// the exact dequantisation distributed over the sum (no 8-bit rounding of x, unlike
    /// llama.cpp's Q4_1 × Q8_1), rounding differently from dequantise-then-dot by ~1e-6 relative.
    @inlinable
    public static func dot(_ blocks: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var y: Float = 0
        trove_matvec(Int32(TROVE_Q4_1), blocks, 0, Int32(count), x, &y, 0, 1)
        return y
    }

    /// The scalar twin of ``dequantize(_:into:count:)``: the reference the SIMD version is tested against.
    public static func dequantizeScalar(_ blocks: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        for b in 0 ..< count / 32 {
            let block = blocks + b * bytesPerBlock
            let d = loadHalf(block), m = loadHalf(block + 2)
            for j in 0 ..< 16 {
                let byte = block.load(fromByteOffset: 4 + j, as: UInt8.self)
                output[32 * b + j] = d * Float(byte & 0x0F) + m
                output[32 * b + j + 16] = d * Float(byte >> 4) + m
            }
        }
    }

    /// The scalar twin of ``dot(_:_:count:)``.
    public static func dotScalar(_ blocks: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var sum: Float = 0
        var row = [Float](repeating: 0, count: 32)
        for b in 0 ..< count / 32 {
            row.withUnsafeMutableBufferPointer { dequantizeScalar(blocks + b * bytesPerBlock, into: $0.baseAddress!, count: 32) }
            for j in 0 ..< 32 { sum += row[j] * x[32 * b + j] }
        }
        return sum
    }
}

/// An IEEE half at `pointer` (unaligned, little-endian), widened to Float.
@inlinable @inline(__always)
func loadHalf(_ pointer: UnsafeRawPointer) -> Float {
    Float(Float16(bitPattern: pointer.loadUnaligned(as: UInt16.self)))
}
