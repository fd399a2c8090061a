#if canImport(Glibc)
import Glibc
#endif

/// SwiGLU's gate (Shazeer 2020): `out_i = silu(gate_i) · up_i` with `silu(g) = g / (1 + e^(−g))`.
/// This is llama's MLP activation: W2 · (silu(W1·x) ⊙ W3·x).
/// A plain counted loop over the branch-free ``exponential(_:)`` that the compiler vectorises.
@inlinable
public func swiGLU(gate: UnsafePointer<Float>, up: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0 ..< count { out[i] = gate[i] / (1 + exponential(-gate[i])) * up[i] }
}

/// The scalar twin of ``swiGLU(gate:up:into:count:)``, with libm's `expf`.
public func swiGLUScalar(gate: UnsafePointer<Float>, up: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0 ..< count { out[i] = gate[i] / (1 + expf(-gate[i])) * up[i] }
}
