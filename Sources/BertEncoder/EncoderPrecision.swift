import Tensors

/// How the encoder's linear layers compute (attention, norms, GELU and pooling stay float32).
///
/// fp32 is the default and the reference (sentence-transformers' vectors to cosine ≥ 0.99999).
/// int8 and bf16 are opt-in and faster; their vectors differ slightly from fp32's (cosine
/// ≥ 0.995 on every reference text), so an index must be searched with the precision it was
/// built with: the precision is part of ``TextEmbedder/identity``.
///
/// ```swift
/// let fast = try TextEmbedder(modelFolder: folder, precision: .int8)
/// ```
public enum EncoderPrecision: String, Sendable, CaseIterable, Codable {
    /// float32 weights and activations (OpenBLAS sgemm).
    case fp32
    /// int8 weights (per output row, one scale per 64 inputs) and int8 activations (one scale per
    /// token, computed as each layer runs); int32 dot products (AVX-512 VNNI, AVX2 or portable C).
    case int8
    /// bfloat16 weights and activations, products summed in float32 (AVX-512 BF16; a portable
    /// loop elsewhere, much slower).
    case bf16

    /// What ``TextEmbedder/identity`` appends to the model's identity: nothing for fp32 (so
    /// indexes built before precisions existed keep their identity), `@int8` or `@bf16` otherwise.
    public var identitySuffix: String { self == .fp32 ? "" : "@" + rawValue }

    /// Whether this CPU runs the precision with its fast kernels (bf16 needs AVX-512 BF16; int8
    /// and fp32 always have a vectorised path on x86-64).
    public var hasFastKernels: Bool { self != .bf16 || BF16Weight.hasHardwareSupport }

    /// The instruction set the precision's kernels use here, for `trove doctor` and benchmarks.
    public var kernelDescription: String {
        switch self {
        case .fp32: F32Kernels.level == 5 ? "AVX-512 (packed weights, vfmadd231ps)" : "OpenBLAS sgemm"
        case .int8: ["portable C", "", "AVX2 (vpmaddubsw)", "", "", "AVX-512 VNNI (vpdpbusd)"][Int8Kernels.level]
        case .bf16: BF16Kernels.level == 5 ? "AVX-512 BF16 (vdpbf16ps)" : "portable C (no AVX-512 BF16: slow)"
        }
    }

    var linear: LinearPrecision {
        switch self {
        case .fp32: .fp32
        case .int8: .int8
        case .bf16: .bf16
        }
    }
}
