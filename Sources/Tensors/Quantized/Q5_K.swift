import CKernels

/// ggml's Q5_K super-block: 256 weights in 176 bytes, as ``Q4_K`` with a fifth bit per weight,
/// `value = (d·sc_g)·q − (dmin·m_g)` with q ∈ 0…31.
///
/// Layout (`block_q5_K`): f16 d, f16 dmin, 12 bytes of scales (``Q4_K``'s packing), 32 bytes qh
/// (bit g of byte j is the fifth bit of element 32g + j), 128 bytes of nibbles (``Q4_K``'s order).
public enum Q5_K: BlockEncoding {
    public static let ggmlType = Int32(TROVE_Q5_K)
    public static let blockSize = 256
    /// Bytes per block: 2 (d) + 2 (dmin) + 12 (scales) + 32 (qh) + 128 (nibbles).
    public static let bytesPerBlock = 176

    public static func dequantizeScalar(_ blocks: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        for b in 0 ..< count / 256 {
            let block = blocks + b * bytesPerBlock
            let d = loadHalf(block), dmin = loadHalf(block + 2)
            let (sc, m) = Q4_K.scalesAndMinimums(block + 4)
            for e in 0 ..< 256 {
                let packed = byte(block, 48 + 32 * (e / 64) + e % 32)
                let low = e % 64 < 32 ? packed & 0x0F : packed >> 4
                let q = low | ((byte(block, 16 + e % 32) >> (e / 32)) & 1) << 4
                output[256 * b + e] = (d * Float(sc[e / 32])) * Float(q) - dmin * Float(m[e / 32])
            }
        }
    }
}

extension Q5_K: KQuantEncoding {
    public static func integers(_ block: UnsafeRawPointer) -> KQuantBlockIntegers {
        let (sc, m) = Q4_K.scalesAndMinimums(block + 4)
        let q = (0 ..< 256).map { e in
            let packed = byte(block, 48 + 32 * (e / 64) + e % 32)
            return (e % 64 < 32 ? packed & 0x0F : packed >> 4) | ((byte(block, 16 + e % 32) >> (e / 32)) & 1) << 4
        }
        return KQuantBlockIntegers(d: loadHalf(block), dmin: loadHalf(block + 2), values: q, scales: sc, minimums: m)
    }
}
