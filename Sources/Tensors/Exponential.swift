/// `exp(x)` for 16 floats at once, accurate to about 1 ulp over the float range (Cephes `expf`):
///
///     n = round(x · log2 e),  r = x − n·ln 2  (ln 2 split in two for exactness),
///     exp(x) = 2ⁿ · (1 + r + r²·P(r)),  P a degree-5 minimax polynomial on |r| ≤ ln2/2.
///
/// Inputs are clamped to [−87.3, 88.7], so exp(−∞) gives ~1e-38 (not 0) and exp(+∞) gives
/// ~3e38: softmax and GELU only feed it finite values. Scalar twin: `expf`.
@inlinable @inline(__always)
public func exponential(_ x: SIMD16<Float>) -> SIMD16<Float> {
    let clamped = x.clamped(lowerBound: SIMD16(repeating: -87.3), upperBound: SIMD16(repeating: 88.7))
    let n = (clamped * 1.442_695_04).rounded(.toNearestOrEven)
    var r = clamped - n * 0.693_359_375
    r = r - n * -2.121_944_4e-4
    var p: SIMD16<Float> = SIMD16(repeating: 1.987_569_15e-4)
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_59e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_12e-1
    let y = p * (r * r) + r + 1
    // 2ⁿ built from its exponent bits; n + 127 stays within 1…254 thanks to the clamp.
    let bits = (SIMD16<Int32>(n, rounding: .towardZero) &+ 127) &<< 23
    return y * unsafeBitCast(bits, to: SIMD16<Float>.self)
}
