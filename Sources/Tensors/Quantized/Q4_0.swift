/// ggml's Q4_0 block: 32 weights in 18 bytes, `value = d·(q − 8)` with q ∈ 0…15.
///
/// Layout (`block_q4_0`): f16 d, then 16 bytes of nibbles, low nibbles elements 0–15 and high
/// nibbles 16–31 (as ``Q4_1``).
public enum Q4_0 {
    /// Weights per block.
    public static let blockSize = 32
    /// Bytes per block: 2 (d) + 16 (nibbles).
    public static let bytesPerBlock = 18

    /// Dequantises `count` weights (a multiple of 32): `output[32b + j] = d·(q_j − 8)`.
    @inlinable
    public static func dequantize(_ blocks: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        var block = blocks
        var out = UnsafeMutableRawPointer(output)
        for _ in 0 ..< count / 32 {
            let d = SIMD8<Float>(repeating: loadHalf(block))
            for half in 0 ..< 2 {
                let bytes = SIMD8<Int32>(truncatingIfNeeded: (block + 2 + 8 * half).loadUnaligned(as: SIMD8<UInt8>.self))
                out.storeBytes(of: SIMD8<Float>((bytes & 0x0F) &- 8) * d, toByteOffset: 32 * half, as: SIMD8<Float>.self)
                out.storeBytes(of: SIMD8<Float>((bytes &>> 4) &- 8) * d, toByteOffset: 64 + 32 * half, as: SIMD8<Float>.self)
            }
            block += bytesPerBlock
            out += 128
        }
    }

    /// `Σ_i w_i · x_i` over one Q4_0 row of `count` weights, exact dequantisation, float32 sums.
    @inlinable
    public static func dot(_ blocks: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var block = blocks
        var xp = UnsafeRawPointer(x)
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>(), acc2 = SIMD8<Float>(), acc3 = SIMD8<Float>()
        for _ in 0 ..< count / 32 {
            let d = SIMD8<Float>(repeating: loadHalf(block))
            let b0 = SIMD8<Int32>(truncatingIfNeeded: (block + 2).loadUnaligned(as: SIMD8<UInt8>.self))
            let b1 = SIMD8<Int32>(truncatingIfNeeded: (block + 10).loadUnaligned(as: SIMD8<UInt8>.self))
            acc0 = acc0.addingProduct(SIMD8<Float>((b0 & 0x0F) &- 8) * d, xp.loadUnaligned(as: SIMD8<Float>.self))
            acc1 = acc1.addingProduct(SIMD8<Float>((b1 & 0x0F) &- 8) * d, xp.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
            acc2 = acc2.addingProduct(SIMD8<Float>((b0 &>> 4) &- 8) * d, xp.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self))
            acc3 = acc3.addingProduct(SIMD8<Float>((b1 &>> 4) &- 8) * d, xp.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self))
            block += bytesPerBlock
            xp += 128
        }
        return ((acc0 + acc1) + (acc2 + acc3)).sum()
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
