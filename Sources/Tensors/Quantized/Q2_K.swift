import CKernels

/// ggml's Q2_K super-block: 256 weights in 84 bytes, sixteen groups of 16 with 4-bit scales and
/// minimums, `value = (d·sc_g)·q − (dmin·m_g)` with q ∈ 0…3.
///
/// Layout (`block_q2_K`): 16 bytes of scales (sc low nibble, m high nibble), 64 bytes qs, f16 d,
/// f16 dmin. For e = 128h + 32k + j the value is bits 2k…2k+1 of qs[32h + j].
public enum Q2_K: BlockEncoding {
    public static let ggmlType = Int32(TROVE_Q2_K)
    public static let blockSize = 256
    /// Bytes per block: 16 (scales) + 64 (qs) + 2 (d) + 2 (dmin).
    public static let bytesPerBlock = 84

    public static func dequantizeScalar(_ blocks: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        for b in 0 ..< count / 256 {
            let block = blocks + b * bytesPerBlock
            let d = loadHalf(block + 80), dmin = loadHalf(block + 82)
            for e in 0 ..< 256 {
                let h = e / 128, k = (e % 128) / 32, j = e % 32, scales = byte(block, e / 16)
                let q = (byte(block, 16 + 32 * h + j) >> (2 * k)) & 3
                output[256 * b + e] = (d * Float(scales & 0x0F)) * Float(q) - dmin * Float(scales >> 4)
            }
        }
    }
}

extension Q2_K: KQuantEncoding {
    public static func integers(_ block: UnsafeRawPointer) -> KQuantBlockIntegers {
        let q = (0 ..< 256).map { e in (byte(block, 16 + 32 * (e / 128) + e % 32) >> (2 * ((e % 128) / 32))) & 3 }
        return KQuantBlockIntegers(d: loadHalf(block + 80), dmin: loadHalf(block + 82), values: q,
                                   scales: (0 ..< 16).map { byte(block, $0) & 0x0F }, minimums: (0 ..< 16).map { byte(block, $0) >> 4 })
    }
}
