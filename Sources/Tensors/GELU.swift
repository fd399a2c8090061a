import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// GELU, the exact (erf) form BERT uses: `gelu(x) = x/2 · (1 + erf(x/√2))`, in place over
/// `count` floats. erf is Abramowitz & Stegun 7.1.26 (absolute error ≤ 1.5e-7), the same
/// approximation PyTorch's vectorised CPU erf uses:
///
///     t = 1/(1 + p·|z|),  erf(|z|) = 1 − (a₁t + a₂t² + a₃t³ + a₄t⁴ + a₅t⁵) · exp(−z²)
///
/// Written as branch-free scalar code in a counted loop, which the compiler vectorises.
/// Scalar twin: ``geluScalar(_:)`` (glibc `erff`); GELUMatchesScalarTests bounds the difference.
public func geluInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
    // The same formula 16 lanes wide where the CPU has AVX-512 (CKernels: Swift vectorises it to 8).
    if trove_gelu_inplace(x, Int32(count)) != 0 { return }
    for i in 0..<count { x[i] = gelu(x[i]) }
}

/// GELU of one float (see ``geluInPlace(_:count:)``).
@inlinable @inline(__always)
public func gelu(_ x: Float) -> Float {
    let z = x * 0.707_106_781_186_547_5                        // x / √2
    let a = Float(bitPattern: z.bitPattern & 0x7FFF_FFFF)       // |z|
    let t = 1 / (a * 0.327_591_1 + 1)
    var poly: Float = 1.061_405_429
    poly = (-1.453_152_027 as Float).addingProduct(poly, t)
    poly = (1.421_413_741 as Float).addingProduct(poly, t)
    poly = (-0.284_496_736 as Float).addingProduct(poly, t)
    poly = (0.254_829_592 as Float).addingProduct(poly, t)
    poly = poly * t
    let erfAbs = 1 - poly * exponential(-(a * a))
    let erf = Float(bitPattern: erfAbs.bitPattern | (z.bitPattern & 0x8000_0000))   // sign of z
    return x * 0.5 * (erf + 1)
}

/// The reference GELU through glibc's `erff`, one value at a time.
public func geluScalar(_ x: Float) -> Float {
    0.5 * x * (1 + erff(x * Float(0.5).squareRoot()))
}
