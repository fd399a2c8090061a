import CKernels

/// ggml's Q3_K super-block: 256 weights in 110 bytes, sixteen groups of 16 with 6-bit signed
/// scales, `value = (d·(s_g − 32))·q` with q ∈ −4…3.
///
/// Layout (`block_q3_K`): 32 bytes hmask, 64 bytes qs (2 bits each), 12 bytes of scales, f16 d.
/// For e = 128h + 32k + j: the low bits are bits 2k…2k+1 of qs[32h + j]; q is them minus 4
/// unless bit 4h + k of hmask[j] is set (ggml stores the high bit inverted).
public enum Q3_K: BlockEncoding {
    public static let ggmlType = Int32(TROVE_Q3_K)
    public static let blockSize = 256
    /// Bytes per block: 32 (hmask) + 64 (qs) + 12 (scales) + 2 (d).
    public static let bytesPerBlock = 110

    public static func dequantizeScalar(_ blocks: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        for b in 0 ..< count / 256 {
            let block = blocks + b * bytesPerBlock
            let d = loadHalf(block + 108)
            for e in 0 ..< 256 {
                let h = e / 128, k = (e % 128) / 32, j = e % 32, g = e / 16
                let low = (byte(block, 32 + 32 * h + j) >> (2 * k)) & 3
                let q = low - ((byte(block, j) >> (4 * h + k)) & 1 == 1 ? 0 : 4)
                // 6-bit scale g: low nibble from byte g (g < 8) or the high one of byte g − 8,
                // top two bits from byte 8 + g%4 at bit 2·(g/4).
                let lowBits = g < 8 ? byte(block, 96 + g) & 0x0F : byte(block, 96 + g - 8) >> 4
                let scale = (lowBits | ((byte(block, 104 + g % 4) >> (2 * (g / 4))) & 3) << 4) - 32
                output[256 * b + e] = (d * Float(scale)) * Float(q)
            }
        }
    }
}

extension Q3_K: KQuantEncoding {
    public static func integers(_ block: UnsafeRawPointer) -> KQuantBlockIntegers {
        let q = (0 ..< 256).map { e in
            let h = e / 128, k = (e % 128) / 32, j = e % 32
            return ((byte(block, 32 + 32 * h + j) >> (2 * k)) & 3) - ((byte(block, j) >> (4 * h + k)) & 1 == 1 ? 0 : 4)
        }
        let scales = (0 ..< 16).map { g in
            let lowBits = g < 8 ? byte(block, 96 + g) & 0x0F : byte(block, 96 + g - 8) >> 4
            return (lowBits | ((byte(block, 104 + g % 4) >> (2 * (g / 4))) & 3) << 4) - 32
        }
        return KQuantBlockIntegers(d: loadHalf(block + 108), dmin: 0, values: q, scales: scales, minimums: [Int](repeating: 0, count: 16))
    }
}
