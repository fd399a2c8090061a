import CKernels

/// ggml's Q5_1 block: 32 weights in 24 bytes, `value = d·q + m` with q ∈ 0…31.
///
/// Layout (`block_q5_1`): f16 d, f16 m, 4 bytes qh, 16 bytes of nibbles (as ``Q5_0``). llama.cpp
/// writes it for Q5_K files' matrices whose rows are not a multiple of 256.
public enum Q5_1: BlockEncoding {
    public static let ggmlType = Int32(TROVE_Q5_1)
    public static let blockSize = 32
    /// Bytes per block: 2 (d) + 2 (m) + 4 (qh) + 16 (nibbles).
    public static let bytesPerBlock = 24

    public static func dequantizeScalar(_ blocks: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        for b in 0 ..< count / 32 {
            let block = blocks + b * bytesPerBlock
            let d = loadHalf(block), m = loadHalf(block + 2)
            for j in 0 ..< 32 {
                output[32 * b + j] = d * Float(fiveBitValue(qh: block + 4, qs: block + 8, j)) + m
            }
        }
    }
}
