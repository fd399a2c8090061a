import CKernels

/// `scores[t] = scale · q·k_t` for `count` cached key rows of `dimension` floats, `stride` floats
/// apart (one query head against a float32 KV cache): AVX-512 in C where the CPU has it.
@inlinable
public func attentionScores(_ q: UnsafePointer<Float>, keys: UnsafePointer<Float>, stride: Int, count: Int, dimension: Int,
                            scale: Float, into scores: UnsafeMutablePointer<Float>) {
    trove_attention_scores_f32(q, keys, stride, Int32(count), Int32(dimension), scale, scores)
}

/// `out = Σ_t p[t]·v_t` over `count` cached value rows of `dimension` floats, `stride` apart: one
/// fused multiply-add per element and position, in position order (as a loop of axpy would).
@inlinable
public func attentionValues(_ p: UnsafePointer<Float>, values: UnsafePointer<Float>, stride: Int, count: Int, dimension: Int,
                            into out: UnsafeMutablePointer<Float>) {
    trove_attention_values_f32(p, values, stride, Int32(count), Int32(dimension), out)
}
