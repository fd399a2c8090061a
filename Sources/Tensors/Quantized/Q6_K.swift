import CKernels

/// ggml's Q6_K super-block: 256 weights in 210 bytes, sixteen groups of 16 with int8 scales,
/// `value = (d·s_g)·(q − 32)` with q ∈ 0…63.
///
/// Layout (`block_q6_K`): 128 bytes ql (low 4 bits), 64 bytes qh (high 2 bits), 16 int8 scales,
/// f16 d. For element e = 128h + 32k + j (h < 2, k < 4, j < 32): the low bits are nibble k/2 of
/// ql[64h + 32·(k%2) + j], the high bits are bits 2k…2k+1 of qh[32h + j].
public enum Q6_K: BlockEncoding {
    public static let ggmlType = Int32(TROVE_Q6_K)
    public static let blockSize = 256
    /// Bytes per block: 128 (ql) + 64 (qh) + 16 (scales) + 2 (d).
    public static let bytesPerBlock = 210

    public static func dequantizeScalar(_ blocks: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        for b in 0 ..< count / 256 {
            let block = blocks + b * bytesPerBlock
            let d = loadHalf(block + 208)
            for e in 0 ..< 256 {
                let h = e / 128, k = (e % 128) / 32, j = e % 32
                let low = (byte(block, 64 * h + 32 * (k % 2) + j) >> (4 * (k / 2))) & 0x0F
                let high = (byte(block, 128 + 32 * h + j) >> (2 * k)) & 3
                let scale = Float(block.load(fromByteOffset: 192 + e / 16, as: Int8.self))
                output[256 * b + e] = (d * scale) * Float((low | high << 4) - 32)
            }
        }
    }
}

extension Q6_K: KQuantEncoding {
    public static func integers(_ block: UnsafeRawPointer) -> KQuantBlockIntegers {
        let q = (0 ..< 256).map { e in
            let h = e / 128, k = (e % 128) / 32, j = e % 32
            let low = (byte(block, 64 * h + 32 * (k % 2) + j) >> (4 * (k / 2))) & 0x0F
            return (low | ((byte(block, 128 + 32 * h + j) >> (2 * k)) & 3) << 4) - 32
        }
        let scales = (0 ..< 16).map { Int(block.load(fromByteOffset: 192 + $0, as: Int8.self)) }
        return KQuantBlockIntegers(d: loadHalf(block + 208), dmin: 0, values: q, scales: scales, minimums: [Int](repeating: 0, count: 16))
    }
}
