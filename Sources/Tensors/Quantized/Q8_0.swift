/// ggml's Q8_0 block: 32 weights in 34 bytes, `value = d·q` with q an int8.
///
/// Layout (`block_q8_0`): f16 d, then 32 signed bytes in element order. SmolLM2's
/// `token_embd.weight` is Q8_0; with tied output it is also the logits matrix.
public enum Q8_0 {
    /// Weights per block.
    public static let blockSize = 32
    /// Bytes per block: 2 (d) + 32 (int8).
    public static let bytesPerBlock = 34

    /// Dequantises `count` weights (a multiple of 32): `output[32b + j] = d·q_j`.
    @inlinable
    public static func dequantize(_ blocks: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        var block = blocks
        var out = UnsafeMutableRawPointer(output)
        for _ in 0 ..< count / 32 {
            let d = SIMD8<Float>(repeating: loadHalf(block))
            for part in 0 ..< 4 {
                let q = SIMD8<Int32>(truncatingIfNeeded: (block + 2 + 8 * part).loadUnaligned(as: SIMD8<Int8>.self))
                out.storeBytes(of: SIMD8<Float>(q) * d, toByteOffset: 32 * part, as: SIMD8<Float>.self)
            }
            block += bytesPerBlock
            out += 128
        }
    }

    /// `Σ_i w_i · x_i` over one Q8_0 row of `count` weights, exact dequantisation, float32 sums.
    @inlinable
    public static func dot(_ blocks: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var block = blocks
        var xp = UnsafeRawPointer(x)
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>(), acc2 = SIMD8<Float>(), acc3 = SIMD8<Float>()
        for _ in 0 ..< count / 32 {
            let d = SIMD8<Float>(repeating: loadHalf(block))
            let q0 = SIMD8<Int32>(truncatingIfNeeded: (block + 2).loadUnaligned(as: SIMD8<Int8>.self))
            let q1 = SIMD8<Int32>(truncatingIfNeeded: (block + 10).loadUnaligned(as: SIMD8<Int8>.self))
            let q2 = SIMD8<Int32>(truncatingIfNeeded: (block + 18).loadUnaligned(as: SIMD8<Int8>.self))
            let q3 = SIMD8<Int32>(truncatingIfNeeded: (block + 26).loadUnaligned(as: SIMD8<Int8>.self))
            acc0 = acc0.addingProduct(SIMD8<Float>(q0) * d, xp.loadUnaligned(as: SIMD8<Float>.self))
            acc1 = acc1.addingProduct(SIMD8<Float>(q1) * d, xp.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
            acc2 = acc2.addingProduct(SIMD8<Float>(q2) * d, xp.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self))
            acc3 = acc3.addingProduct(SIMD8<Float>(q3) * d, xp.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self))
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
