import Tensors

/// The steps that differ between families, each a no-op where the family lacks the weight or
/// setting: shared by the decode step and the batched prefill.
extension LlamaModel {
    /// Tabulates RoPE's angles for positions below `count` (before any threads run).
    func prepareRotations(positions count: Int) {
        rope.prepare(positions: count)
        if localRope !== rope { localRope.prepare(positions: count) }
        longRope?.prepare(positions: count)
    }

    /// The rotation of layer `l` with `cache`: sliding-window layers have their own base (gemma3:
    /// 10000 locally, 1000000 globally; llama.cpp `get_rope_freq_base`); a cache longer than the
    /// original context takes the long frequency factors (Phi-3.5; llama.cpp `get_rope_factors`).
    @inline(__always)
    func rotation(layer l: Int, cache: KVCache) -> RotaryEmbedding {
        if config.isSliding(layer: l) { return localRope }
        if let longRope, cache.capacity > config.ropeOriginalContextLength { return longRope }
        return rope
    }

    /// The cached positions a query at `position` attends to in layer `l`: all of 0…position, or on a
    /// sliding layer the last `slidingWindow` of them (llama.cpp `is_masked_swa`: masked when position − t ≥ window).
    @inline(__always)
    func attentionWindow(layer l: Int, position: Int) -> Range<Int> {
        guard config.isSliding(layer: l), let window = config.slidingWindow else { return 0 ..< position + 1 }
        return max(0, position - window + 1) ..< position + 1
    }

    /// One token's projections finished in place, before RoPE: q += bq, k += bk, v += bv where the
    /// file has biases (qwen2); then q_h = rmsnorm(q_h) ⊙ q_norm and k_h = rmsnorm(k_h) ⊙ k_norm for
    /// every head where it has head norms (qwen3, gemma3). q is [qLen], k and v [kvLen].
    @inline(__always)
    func finishProjections(_ layer: LlamaLayerWeights, q: UnsafeMutablePointer<Float>, k: UnsafeMutablePointer<Float>,
                           v: UnsafeMutablePointer<Float>) {
        let c = config
        addBias(layer.queryBias, to: q)
        addBias(layer.keyBias, to: k)
        addBias(layer.valueBias, to: v)
        normalizeHeads(q, heads: c.headCount, weight: layer.queryNorm)
        normalizeHeads(k, heads: c.kvHeadCount, weight: layer.keyNorm)
    }

    @inline(__always)
    private func addBias(_ bias: [Float]?, to row: UnsafeMutablePointer<Float>) {
        bias?.withUnsafeBufferPointer { addInPlace(row, $0.baseAddress!, count: $0.count) }
    }

    /// row_h = rmsnorm(row_h) ⊙ weight for each of `heads` heads of hd values.
    @inline(__always)
    private func normalizeHeads(_ row: UnsafeMutablePointer<Float>, heads: Int, weight: [Float]?) {
        let hd = config.headDimension, eps = config.rmsNormEpsilon
        weight?.withUnsafeBufferPointer { w in
            for h in 0 ..< heads { rmsNorm(row + h * hd, weight: w.baseAddress!, into: row + h * hd, count: hd, epsilon: eps) }
        }
    }
}

/// `out = act(gate) ⊙ up` over `count` values: SwiGLU or GeGLU-tanh.
@inline(__always)
func gatedActivation(_ activation: FeedForwardActivation, gate: UnsafePointer<Float>, up: UnsafePointer<Float>,
                     into out: UnsafeMutablePointer<Float>, count: Int) {
    switch activation {
    case .silu: swiGLU(gate: gate, up: up, into: out, count: count)
    case .geluTanh: geluTanhGated(gate: gate, up: up, into: out, count: count)
    }
}

/// `x *= factor` over `count` values.
func scaleInPlace(_ x: UnsafeMutablePointer<Float>, by factor: Float, count: Int) {
    for i in 0 ..< count { x[i] *= factor }
}
