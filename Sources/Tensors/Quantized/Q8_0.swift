import CKernels

/// ggml's Q8_0 block: 32 weights in 34 bytes, `value = d·q` with q an int8.
///
/// Layout (`block_q8_0`): f16 d, then 32 signed bytes in element order. SmolLM2's
/// `token_embd.weight` is Q8_0; with tied output it is also the logits matrix.
public enum Q8_0 {
    /// Weights per block.
    public static let blockSize = 32
    /// Bytes per block: 2 (d) + 32 (int8).
    public static let bytesPerBlock = 34

    /// Dequantises `count` weights (a multiple of 32) from `blocks` into `output`, exactly
    /// (CKernels: AVX-512, AVX2 or portable C; Swift's SIMD integer-to-float conversions do
    /// not vectorise, so the hot loops live in C).
    @inlinable
    public static func dequantize(_ blocks: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        trove_dequantize(Int32(TROVE_Q8_0), blocks, output, Int32(count))
    }

    /// `Σ_i w_i · x_i` over one row of `count` weights (a multiple of 32) read straight from the
    /// blocks, every weight dequantised exactly, float32 accumulation (CKernels).
    @inlinable
    public static func dot(_ blocks: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var y: Float = 0
        trove_matvec(Int32(TROVE_Q8_0), blocks, 0, Int32(count), x, &y, 0, 1)
        return y
    }

    /// The scalar twin of ``dequantize(_:into:count:)``.
    public static func dequantizeScalar(_ blocks: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        for b in 0 ..< count / 32 {
            let block = blocks + b * bytesPerBlock
            let d = loadHalf(block)
            for j in 0 ..< 32 {
                output[32 * b + j] = d * Float(block.load(fromByteOffset: 2 + j, as: Int8.self))
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
