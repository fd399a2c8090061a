import CKernels

/// ggml's Q5_0 block: 32 weights in 22 bytes, `value = d·(q − 16)` with q ∈ 0…31.
///
/// Layout (`block_q5_0`): f16 d, 4 bytes qh (bit j is element j's fifth bit, little-endian),
/// 16 bytes of nibbles (low nibbles elements 0–15, high nibbles 16–31, as ``Q4_0``). llama.cpp
/// writes it for Q4_K files' matrices whose rows are not a multiple of 256 (SmolLM2's 576).
public enum Q5_0: BlockEncoding {
    public static let ggmlType = Int32(TROVE_Q5_0)
    public static let blockSize = 32
    /// Bytes per block: 2 (d) + 4 (qh) + 16 (nibbles).
    public static let bytesPerBlock = 22

    public static func dequantizeScalar(_ blocks: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        for b in 0 ..< count / 32 {
            let block = blocks + b * bytesPerBlock
            let d = loadHalf(block)
            for j in 0 ..< 32 {
                output[32 * b + j] = d * Float(fiveBitValue(qh: block + 2, qs: block + 6, j) - 16)
            }
        }
    }
}

/// Element j's 5-bit value of a Q5_0/Q5_1 block: its nibble and bit j of qh.
@inline(__always)
func fiveBitValue(qh: UnsafeRawPointer, qs: UnsafeRawPointer, _ j: Int) -> Int {
    let nibble = j < 16 ? byte(qs, j) & 0x0F : byte(qs, j - 16) >> 4
    return nibble | ((byte(qh, j / 8) >> (j % 8)) & 1) << 4
}
