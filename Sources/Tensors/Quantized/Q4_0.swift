import CKernels

/// ggml's Q4_0 block: 32 weights in 18 bytes, `value = d·(q − 8)` with q ∈ 0…15.
///
/// Layout (`block_q4_0`): f16 d, then 16 bytes of nibbles, low nibbles elements 0–15 and high
/// nibbles 16–31 (as ``Q4_1``).
public enum Q4_0 {
    /// Weights per block.
    public static let blockSize = 32
    /// Bytes per block: 2 (d) + 16 (nibbles).
    public static let bytesPerBlock = 18

    /// Dequantises `count` weights (a multiple of 32) from `blocks` into `output`, exactly
    /// (CKernels: AVX-512, AVX2 or portable C; Swift's SIMD integer-to-float conversions do
    /// not vectorise, so the hot loops live in C).
    @inlinable
    public static func dequantize(_ blocks: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        trove_dequantize(Int32(TROVE_Q4_0), blocks, output, Int32(count))
    }

    /// `Σ_i w_i · x_i` over one row of `count` weights (a multiple of 32) read straight from the
    /// blocks, every weight dequantised exactly, float32 accumulation (CKernels).
    @inlinable
    public static func dot(_ blocks: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var y: Float = 0
        trove_matvec(Int32(TROVE_Q4_0), blocks, 0, Int32(count), x, &y, 0, 1)
        return y
    }

    /// The scalar twin of ``dequantize(_:into:count:)``.
    public static func dequantizeScalar(_ blocks: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        for b in 0 ..< count / 32 {
            let block = blocks + b * bytesPerBlock
            let d = loadHalf(block)
            for j in 0 ..< 16 {
                let byte = block.load(fromByteOffset: 2 + j, as: UInt8.self)
                output[32 * b + j] = d * Float(Int(byte & 0x0F) - 8)
                output[32 * b + j + 16] = d * Float(Int(byte >> 4) - 8)
            }
        }
    }

    /// The scalar twin of ``dot(_:_:count:)``.
    public static func dotScalar(_ blocks: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var row = [Float](repeating: 0, count: count)
        row.withUnsafeMutableBufferPointer { dequantizeScalar(blocks, into: $0.baseAddress!, count: count) }
        var sum: Float = 0
        for i in 0 ..< count { sum += row[i] * x[i] }
        return sum
    }
}
