#if canImport(Glibc)
import Glibc
#endif

/// `e^x` in eight lanes (Cephes' `expf`: range reduction by ln 2, a degree-6 polynomial, then
/// scaling by 2^n through the exponent bits); within 2 ulp of libm for |x| < 87, and
/// underflows to ≈ 1e-38 below −87 (harmless in softmax and SiLU).
@inlinable @inline(__always)
public func exponential(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let low = SIMD8<Float>(repeating: -87), high = SIMD8<Float>(repeating: 88)
    let clamped = x.replacing(with: low, where: x .< low).replacing(with: high, where: x .> high)
    // n = round(x / ln 2) by the 1.5·2²³ trick: adding it leaves n in the low mantissa bits.
    let magic = SIMD8<Float>(repeating: 12_582_912)
    let shifted = magic.addingProduct(clamped, SIMD8(repeating: 1.44269504088896341))
    let n = shifted - magic
    var r = clamped.addingProduct(n, SIMD8(repeating: -0.693359375))
    r = r.addingProduct(n, SIMD8(repeating: 2.12194440e-4))
    var p = SIMD8<Float>(repeating: 1.9875691500e-4)
    p = p * r + 1.3981999507e-3
    p = p * r + 8.3334519073e-3
    p = p * r + 4.1665795894e-2
    p = p * r + 1.6666665459e-1
    p = p * r + 5.0000001201e-1
    p = (p * r * r + r) + 1
    // 2ⁿ: n + 127 in the exponent field (integer lanes taken from the shifted float's bits).
    let bits = (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
    return p * unsafeBitCast(bits, to: SIMD8<Float>.self)
}

/// In-place softmax over `count` floats with the eight-lane exponential:
/// `x_i = e^(x_i − max) / Σ_j e^(x_j − max)`. Sums run in a fixed lane order, so the result does
/// not depend on threading. Attention uses it on every score row.
@inlinable
public func softmaxInPlaceVectorized(_ x: UnsafeMutablePointer<Float>, count: Int) {
    guard count > 0 else { return }
    var maximum = x[0]
    for i in 1 ..< count where x[i] > maximum { maximum = x[i] }
    var acc = SIMD8<Float>()
    var i = 0
    while i + 8 <= count {
        let e = exponential(UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self) - maximum)
        UnsafeMutableRawPointer(x + i).storeBytes(of: e, as: SIMD8<Float>.self)
        acc += e
        i += 8
    }
    var sum = acc.sum()
    while i < count { let e = expf(x[i] - maximum); x[i] = e; sum += e; i += 1 }
    let scale = 1 / sum
    i = 0
    while i + 8 <= count {
        let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(x + i).storeBytes(of: v * scale, as: SIMD8<Float>.self)
        i += 8
    }
    while i < count { x[i] *= scale; i += 1 }
}
