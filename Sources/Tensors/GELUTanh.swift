#if canImport(Glibc)
import Glibc
#endif

/// GeGLU with the tanh form of GELU (Shazeer 2020; Hendrycks & Gimpel 2016), Gemma's MLP activation
/// (Hugging Face `gelu_pytorch_tanh`): `out_i = gelu(gate_i) · up_i` with
///
///     gelu(x) = x/2 · (1 + tanh(√(2/π) · (x + 0.044715 x³))),   tanh(u) = 1 − 2 / (e^{2u} + 1)
///
/// A plain counted loop over the branch-free ``exponential(_:)`` that the compiler vectorises.
/// llama.cpp's CPU backend reads GELU from a table of half-precision inputs and outputs
/// (`ggml_vec_geglu_f32` under `GGML_GELU_FP16`); this computes the formula in float32 instead.
@inlinable
public func geluTanhGated(gate: UnsafePointer<Float>, up: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0 ..< count {
        let x = gate[i]
        let u = 0.797_884_56 * x * (1 + 0.044_715 * x * x)
        let tanh = 1 - 2 / (exponential(2 * u) + 1)
        out[i] = 0.5 * x * (1 + tanh) * up[i]
    }
}

/// The scalar twin of ``geluTanhGated(gate:up:into:count:)``, with libm's `tanhf`.
public func geluTanhGatedScalar(gate: UnsafePointer<Float>, up: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0 ..< count {
        let x = gate[i]
        out[i] = 0.5 * x * (1 + tanhf(0.797_884_56 * x * (1 + 0.044_715 * x * x))) * up[i]
    }
}
