import CKernels
import Glibc

/// One head of self-attention over `tokens` tokens, in float32:
///
///     out_i = Σ_j softmax_j(q_i · k_j · scale) · v_j
///
/// q_i, k_i and v_i are `headSize` floats at `query`, `key`, `value` + i·`stride` (strided views
/// of a packed [tokens, 3·hidden] projection); out_i goes to `output` + i·`outputStride`.
/// `scratch` holds ``attentionScratchCount(tokens:headSize:)`` floats.
///
/// With AVX-512 and head size 32, CKernels' `trove_attention_head`: scores, softmax and the product
/// with V fused, a block of 8 query rows at a time (no n×n matrix leaves L1; 8 independent accumulators keep the FMA pipes full). Otherwise two sgemm
/// calls around a vectorised softmax. The scalar twin is
/// ``attentionHeadScalar(query:key:value:stride:tokens:headSize:scale:output:outputStride:)``.
public func attentionHead(query: UnsafePointer<Float>, key: UnsafePointer<Float>, value: UnsafePointer<Float>,
                          stride: Int, tokens n: Int, headSize d: Int, scale: Float,
                          output: UnsafeMutablePointer<Float>, outputStride: Int, scratch: UnsafeMutablePointer<Float>) {
    if hasFusedAttention(headSize: d) {
        trove_attention_head(query, key, value, Int32(stride), Int32(n), Int32(d), scale, output, Int32(outputStride), scratch)
        return
    }
    // P = Q Kᵀ · scale, softmax by rows, out = P V
    sgemm(rows: n, columns: n, inner: d, a: query, lda: stride, transposeA: false,
          b: key, ldb: stride, transposeB: true, c: scratch, ldc: n, alpha: scale)
    for r in 0..<n { softmaxInPlaceVectorized(scratch + r * n, count: n) }
    sgemm(rows: n, columns: d, inner: n, a: scratch, lda: n, transposeA: false,
          b: value, ldb: stride, transposeB: false, c: output, ldc: outputStride)
}

/// Whether ``attentionHead(query:key:value:stride:tokens:headSize:scale:output:outputStride:scratch:)``
/// runs the fused kernel here (AVX-512, head size 32).
public func hasFusedAttention(headSize: Int) -> Bool {
    headSize == 32 && trove_encoder_avx512() != 0
}

/// Floats of scratch ``attentionHead(query:key:value:stride:tokens:headSize:scale:output:outputStride:scratch:)`` needs.
public func attentionScratchCount(tokens: Int, headSize: Int) -> Int {
    max(Int(trove_attention_scratch_floats(Int32(tokens), Int32(headSize))), tokens * tokens)
}

/// The scalar twin of ``attentionHead(query:key:value:stride:tokens:headSize:scale:output:outputStride:scratch:)``,
/// in float64 with glibc's `exp`.
public func attentionHeadScalar(query: UnsafePointer<Float>, key: UnsafePointer<Float>, value: UnsafePointer<Float>,
                                stride: Int, tokens: Int, headSize: Int, scale: Float,
                                output: UnsafeMutablePointer<Float>, outputStride: Int) {
    for i in 0..<tokens {
        var scores = [Double](repeating: 0, count: tokens)
        for j in 0..<tokens {
            var s = 0.0
            for c in 0..<headSize { s += Double(query[i * stride + c]) * Double(key[j * stride + c]) }
            scores[j] = s * Double(scale)
        }
        let top = scores.max() ?? 0
        let weights = scores.map { exp($0 - top) }
        let sum = weights.reduce(0, +)
        for c in 0..<headSize {
            var o = 0.0
            for j in 0..<tokens { o += weights[j] * Double(value[j * stride + c]) }
            output[i * outputStride + c] = Float(o / sum)
        }
    }
}
