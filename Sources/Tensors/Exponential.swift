/// `exp(x)` accurate to about 1 ulp over the float range (Cephes `expf`), branch-free so that
/// loops calling it vectorise (Swift's generic SIMD clamp and float→int conversions do not
/// lower to vector instructions; plain scalar code in a counted loop does):
///
///     n = round(x · log2 e),  r = x − n·ln 2  (ln 2 split in two for exactness),
///     exp(x) = 2ⁿ · (1 + r + r²·P(r)),  P a degree-5 minimax polynomial on |r| ≤ ln2/2.
///
/// Rounding uses the 1.5·2²³ trick: adding it leaves round(y) in the low mantissa bits.
/// Inputs are clamped to [−87.3, 88.7] (exp(−∞) gives ~1e-38, not 0). Scalar twin: `expf`.
@inlinable @inline(__always)
public func exponential(_ x: Float) -> Float {
    let clamped = min(max(x, -87.3), 88.7)
    let shifted = clamped * 1.442_695_04 + 12_582_912        // 1.5·2²³ + round(x·log2 e)
    let n = shifted - 12_582_912
    var r = clamped.addingProduct(n, -0.693_359_375)            // fused multiply-adds
    r = r.addingProduct(n, 2.121_944_4e-4)
    var p: Float = 1.987_569_15e-4
    p = (1.398_199_95e-3 as Float).addingProduct(p, r)
    p = (8.333_451_9e-3 as Float).addingProduct(p, r)
    p = (4.166_579_59e-2 as Float).addingProduct(p, r)
    p = (1.666_666_55e-1 as Float).addingProduct(p, r)
    p = (5.000_000_12e-1 as Float).addingProduct(p, r)
    let y = p * (r * r) + r + 1
    // 2ⁿ from exponent bits: n is the low bits of `shifted` (bit pattern 0x4B40_0000 + n).
    let exponentBits = (shifted.bitPattern &- 0x4B40_0000 &+ 127) &<< 23
    return y * Float(bitPattern: exponentBits)
}

/// `x[i] = exp(x[i])` for `count` floats (vectorised by the compiler).
public func exponentialInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { x[i] = exponential(x[i]) }
}
