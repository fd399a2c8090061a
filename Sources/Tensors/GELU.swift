#if canImport(Glibc)
import Glibc
#endif

/// GELU, the exact (erf) form BERT uses: `gelu(x) = x/2 · (1 + erf(x/√2))`, in place over
/// `count` floats. erf is Abramowitz & Stegun 7.1.26 (absolute error ≤ 1.5e-7), the same
/// approximation PyTorch's vectorised CPU erf uses:
///
///     t = 1/(1 + p·|z|),  erf(|z|) = 1 − (a₁t + a₂t² + a₃t³ + a₄t⁴ + a₅t⁵) · exp(−z²)
///
/// Scalar twin: ``geluScalar(_:)`` (glibc `erff`); GELUMatchesScalarTests bounds the difference.
public func geluInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i + 16 <= count {
        let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(x + i).storeBytes(of: gelu(v), as: SIMD16<Float>.self)
        i += 16
    }
    while i < count {
        var tail = SIMD16<Float>(repeating: 0)
        let n = min(16, count - i)
        for k in 0..<n { tail[k] = x[i + k] }
        let y = gelu(tail)
        for k in 0..<n { x[i + k] = y[k] }
        i += n
    }
}

/// GELU of 16 floats (see ``geluInPlace(_:count:)``).
@inlinable @inline(__always)
public func gelu(_ x: SIMD16<Float>) -> SIMD16<Float> {
    let z = x * 0.707_106_781_186_547_5                       // x / √2
    let a = unsafeBitCast(unsafeBitCast(z, to: SIMD16<UInt32>.self) & 0x7FFF_FFFF, to: SIMD16<Float>.self)   // |z|
    let t = 1 / (a * 0.327_591_1 + 1)
    var poly: SIMD16<Float> = SIMD16(repeating: 1.061_405_429)
    poly = poly * t - 1.453_152_027
    poly = poly * t + 1.421_413_741
    poly = poly * t - 0.284_496_736
    poly = poly * t + 0.254_829_592
    poly = poly * t
    let erfAbs = 1 - poly * exponential(-(a * a))
    let erf = erfAbs.replacing(with: -erfAbs, where: z .< 0)
    return x * 0.5 * (erf + 1)
}

/// The reference GELU through glibc's `erff`, one value at a time.
public func geluScalar(_ x: Float) -> Float {
    0.5 * x * (1 + erff(x / 2.0.squareRoot().float))
}

extension Double {
    @usableFromInline var float: Float { Float(self) }
}
