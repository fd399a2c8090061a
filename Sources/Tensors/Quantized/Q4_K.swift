import CKernels

/// ggml's Q4_K super-block: 256 weights in 144 bytes, eight groups of 32 with 6-bit scales and
/// minimums, `value = (d·sc_g)·q − (dmin·m_g)` with q ∈ 0…15.
///
/// Layout (`block_q4_K`): f16 d, f16 dmin, 12 bytes of packed scales and minimums (see
/// ``scalesAndMinimums(_:)``), 128 bytes of nibbles: each 64 weights share 32 bytes, low nibbles
/// the first 32, high nibbles the next 32. The most common file, `Q4_K_M`, mixes it with ``Q6_K``.
public enum Q4_K: BlockEncoding {
    public static let ggmlType = Int32(TROVE_Q4_K)
    public static let blockSize = 256
    /// Bytes per block: 2 (d) + 2 (dmin) + 12 (scales) + 128 (nibbles).
    public static let bytesPerBlock = 144

    public static func dequantizeScalar(_ blocks: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        for b in 0 ..< count / 256 {
            let block = blocks + b * bytesPerBlock
            let d = loadHalf(block), dmin = loadHalf(block + 2)
            let (sc, m) = scalesAndMinimums(block + 4)
            for e in 0 ..< 256 {
                let packed = byte(block, 16 + 32 * (e / 64) + e % 32)
                let q = e % 64 < 32 ? packed & 0x0F : packed >> 4
                output[256 * b + e] = (d * Float(sc[e / 32])) * Float(q) - dmin * Float(m[e / 32])
            }
        }
    }

    /// The eight 6-bit scales and minimums of Q4_K and Q5_K (ggml's `get_scale_min_k4`): bytes
    /// 0–3 hold sc 0–3 in their low 6 bits, bytes 4–7 m 0–3; groups 4–7 take their low 4 bits
    /// from bytes 8–11 (sc low nibble, m high nibble) and their top 2 bits from the top of 0–7.
    static func scalesAndMinimums(_ s: UnsafeRawPointer) -> (scales: [Int], minimums: [Int]) {
        var sc = [Int](repeating: 0, count: 8), m = sc
        for i in 0 ..< 4 {
            sc[i] = byte(s, i) & 63
            m[i] = byte(s, i + 4) & 63
            sc[i + 4] = (byte(s, i + 8) & 0x0F) | ((byte(s, i) >> 2) & 0x30)
            m[i + 4] = (byte(s, i + 8) >> 4) | ((byte(s, i + 4) >> 2) & 0x30)
        }
        return (sc, m)
    }
}

extension Q4_K: KQuantEncoding {
    public static func integers(_ block: UnsafeRawPointer) -> KQuantBlockIntegers {
        let (sc, m) = scalesAndMinimums(block + 4)
        let q = (0 ..< 256).map { e in
            let packed = byte(block, 16 + 32 * (e / 64) + e % 32)
            return e % 64 < 32 ? packed & 0x0F : packed >> 4
        }
        return KQuantBlockIntegers(d: loadHalf(block), dmin: loadHalf(block + 2), values: q, scales: sc, minimums: m)
    }
}
