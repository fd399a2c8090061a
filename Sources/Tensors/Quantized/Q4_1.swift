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

    /// Dequantises `count` weights (a multiple of 32) from `blocks` into `output`, exactly:
    /// `output[32b + j] = d·q_j + m` in float32.
    @inlinable
    public static func dequantize(_ blocks: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        var block = blocks
        var out = output
        for _ in 0 ..< count / 32 {
            let d = SIMD8<Float>(repeating: loadHalf(block))
            let m = SIMD8<Float>(repeating: loadHalf(block + 2))
            for half in 0 ..< 2 {
                let bytes = SIMD8<Int32>(truncatingIfNeeded: (block + 4 + 8 * half).loadUnaligned(as: SIMD8<UInt8>.self))
                let low = SIMD8<Float>(bytes & 0x0F)
                let high = SIMD8<Float>(bytes &>> 4)
                UnsafeMutableRawPointer(out + 8 * half).storeBytes(of: fmaValue(low, d, m), as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(out + 16 + 8 * half).storeBytes(of: fmaValue(high, d, m), as: SIMD8<Float>.self)
            }
            block += bytesPerBlock
            out += 32
        }
    }

    /// `Σ_i w_i · x_i` over one row of `count` weights (a multiple of 32) held as Q4_1 blocks,
    /// with every weight dequantised exactly (`d·q + m`) and float32 accumulation.
    @inlinable
    public static func dot(_ blocks: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var block = blocks
        var xp = UnsafeRawPointer(x)
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>(), acc2 = SIMD8<Float>(), acc3 = SIMD8<Float>()
        for _ in 0 ..< count / 32 {
            let d = SIMD8<Float>(repeating: loadHalf(block))
            let m = SIMD8<Float>(repeating: loadHalf(block + 2))
            let b0 = SIMD8<Int32>(truncatingIfNeeded: (block + 4).loadUnaligned(as: SIMD8<UInt8>.self))
            let b1 = SIMD8<Int32>(truncatingIfNeeded: (block + 12).loadUnaligned(as: SIMD8<UInt8>.self))
            // Elements 0–7, 8–15 (low nibbles) and 16–23, 24–31 (high nibbles).
            let w0 = fmaValue(SIMD8<Float>(b0 & 0x0F), d, m)
            let w1 = fmaValue(SIMD8<Float>(b1 & 0x0F), d, m)
            let w2 = fmaValue(SIMD8<Float>(b0 &>> 4), d, m)
            let w3 = fmaValue(SIMD8<Float>(b1 &>> 4), d, m)
            acc0 = acc0.addingProduct(w0, xp.loadUnaligned(as: SIMD8<Float>.self))
            acc1 = acc1.addingProduct(w1, xp.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
            acc2 = acc2.addingProduct(w2, xp.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self))
            acc3 = acc3.addingProduct(w3, xp.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self))
            block += bytesPerBlock
            xp += 128
        }
        return ((acc0 + acc1) + (acc2 + acc3)).sum()
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

/// `q·d + m` as one fused multiply-add per lane (the exact dequantisation, rounded once).
@inlinable @inline(__always)
func fmaValue(_ q: SIMD8<Float>, _ d: SIMD8<Float>, _ m: SIMD8<Float>) -> SIMD8<Float> {
    m.addingProduct(q, d)
}

/// An IEEE half at `pointer` (unaligned, little-endian), widened to Float.
@inlinable @inline(__always)
func loadHalf(_ pointer: UnsafeRawPointer) -> Float {
    Float(Float16(bitPattern: pointer.loadUnaligned(as: UInt16.self)))
}
