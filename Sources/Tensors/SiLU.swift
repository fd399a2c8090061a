#if canImport(Glibc)
import Glibc
#endif

/// SwiGLU's gate (Shazeer 2020): `out_i = silu(gate_i) · up_i` with `silu(g) = g / (1 + e^(−g))`.
/// This is llama's MLP activation: W2 · (silu(W1·x) ⊙ W3·x).
@inlinable
public func swiGLU(gate: UnsafePointer<Float>, up: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i + 8 <= count {
        let g = UnsafeRawPointer(gate + i).loadUnaligned(as: SIMD8<Float>.self)
        let u = UnsafeRawPointer(up + i).loadUnaligned(as: SIMD8<Float>.self)
        let silu = g / (1 + exponential(-g))
        UnsafeMutableRawPointer(out + i).storeBytes(of: silu * u, as: SIMD8<Float>.self)
        i += 8
    }
    while i < count { out[i] = gate[i] / (1 + expf(-gate[i])) * up[i]; i += 1 }
}

/// The scalar twin of ``swiGLU(gate:up:into:count:)``, with libm's `expf`.
public func swiGLUScalar(gate: UnsafePointer<Float>, up: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0 ..< count { out[i] = gate[i] / (1 + expf(-gate[i])) * up[i] }
}
