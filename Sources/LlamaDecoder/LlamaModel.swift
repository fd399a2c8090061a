#if canImport(Glibc)
import Glibc
#endif
import Tensors

/// A decoder of the llama family and its kin (llama, qwen2, qwen3, gemma3, phi3: one forward pass,
/// parameterised by ``LlamaConfig``; what a family lacks, such as biases or extra norms, is nil in
/// ``LlamaWeights`` and skipped) running on weights kept in their file encoding, with two paths: a
/// batched prefill (panels of exactly dequantised weights times a register-blocked GEMM, in
/// LlamaModel+Prefill.swift) and the one-token decode step below (quantized dot products read
/// straight from the blocks, parallel over output rows). Arithmetic is float32, except that K-quant
/// weights meet 8-bit activations in integer products as in llama.cpp (``activationPrecision``);
/// the KV cache is float32 unless it is made f16 (``cachePrecision``).
///
/// Every output element is computed wholly by one thread, so results are identical for any
/// thread count. A model runs one forward pass at a time (its scratch buffers are shared);
/// give each conversation its own ``KVCache``.
public final class LlamaModel: @unchecked Sendable {
    /// The hyper-parameters read from the file.
    public let config: LlamaConfig
    /// The weights, as views into the mapped file.
    public let weights: LlamaWeights
    /// Keeps the mapped file (or whatever owns the weight bytes) alive.
    let storage: AnyObject?
    /// RoPE of the global layers, and of the sliding-window layers (gemma3: their own base, no scaling).
    let rope, localRope: RotaryEmbedding
    /// RoPE with the long frequency factors, for caches longer than the original context (Phi-3.5).
    let longRope: RotaryEmbedding?
    let scratch: DecodeScratch
    /// Prompts shorter than this run through the decode step token by token: dequantising
    /// every weight panel for the batched product costs about as much as a few one-token steps.
    public var batchedPrefillThreshold = 8

    /// A model over checked weights; `storage` is kept alive as long as the model.
    public init(config c: LlamaConfig, weights: LlamaWeights, storage: AnyObject?) {
        self.config = c
        self.weights = weights
        self.storage = storage
        let global = RotaryEmbedding(dimension: c.headDimension, rotatedDimension: c.rotaryDimension, base: c.ropeFrequencyBase,
                                     pairing: c.ropePairing, frequencyScale: c.ropeFrequencyScale,
                                     frequencyFactors: weights.ropeFrequencyFactors, magnitudeScale: c.ropeMagnitudeScale)
        rope = global
        localRope = c.slidingLayers.isEmpty ? global
            : RotaryEmbedding(dimension: c.headDimension, rotatedDimension: c.rotaryDimension, base: c.localRopeFrequencyBase,
                              pairing: c.ropePairing, magnitudeScale: c.ropeMagnitudeScale)
        longRope = weights.longRopeFrequencyFactors.map {
            RotaryEmbedding(dimension: c.headDimension, rotatedDimension: c.rotaryDimension, base: c.ropeFrequencyBase,
                            pairing: c.ropePairing, frequencyScale: c.ropeFrequencyScale, frequencyFactors: $0,
                            magnitudeScale: c.ropeMagnitudeScale)
        }
        scratch = DecodeScratch(config: c)
    }

    /// How activations meet the weights: ``ActivationPrecision/int8`` (the default, as llama.cpp
    /// runs) quantises them to 8 bits for the K-quant products; ``ActivationPrecision/float32``
    /// keeps the exactly dequantised model, which the reference comparisons check.
    public var activationPrecision: ActivationPrecision {
        get { scratch.activations.precision }
        set { scratch.activations.precision = newValue }
    }

    /// How the caches this model makes store keys and values (`--kv-cache`; float32 by default).
    public var cachePrecision = KVCachePrecision.f32

    /// A KV cache sized for this model (`capacity` positions, default its context length).
    public func makeCache(capacity: Int? = nil) -> KVCache {
        KVCache(config: config, capacity: capacity, precision: cachePrecision)
    }

    /// Appends `tokens` to the context in `cache` and returns the logits [vocab] that predict the
    /// token after the last one. The buffer belongs to the model and is overwritten by the next call.
    public func forward(tokens: [Int32], cache: KVCache) throws -> UnsafeMutableBufferPointer<Float> {
        for t in tokens where t < 0 || Int(t) >= config.vocabularySize {
            throw LlamaDecoderError.tokenOutOfRange(token: t, vocabularySize: config.vocabularySize)
        }
        guard cache.count + tokens.count <= cache.capacity else {
            throw LlamaDecoderError.contextFull(needed: cache.count + tokens.count, capacity: cache.capacity)
        }
        guard !tokens.isEmpty else { return scratch.logitsBuffer }
        if tokens.count >= batchedPrefillThreshold {
            prefill(tokens, cache: cache)
        } else {
            for t in tokens { decodeStep(token: t, cache: cache) }
        }
        return scratch.logitsBuffer
    }

    /// One token at position `cache.count`: llama2.c's `forward()`, reading top to bottom.
    /// Shapes for SmolLM2: dim 576, qLen 576, kvLen 192, ff 1536, 9 heads of 64, vocab 49152.
    func decodeStep(token: Int32, cache: KVCache) {
        let c = config, s = scratch
        let dim = c.embeddingLength, qLen = c.queryLength, kvLen = c.keyValueLength, ff = c.feedForwardLength
        let pos = cache.count
        let workers = SpinningWorkers.shared
        prepareRotations(positions: pos + 1)
        s.reserveScores(positions: pos + 1)
        let x = s.x, xb = s.xb, q = s.q, att = s.attention, gate = s.gate, up = s.up, hidden = s.hidden

        // x = token_embd[token] (· √dim in gemma3)                             [dim]
        weights.tokenEmbedding.dequantize(rows: Int(token) ..< Int(token) + 1, into: x)
        if let scale = c.embeddingScale { scaleInPlace(x, by: scale, count: dim) }

        for (l, layer) in weights.layers.enumerated() {
            // xb = rmsnorm(x) ⊙ attn_norm                                      [dim]
            layer.attentionNorm.withUnsafeBufferPointer { rmsNorm(x, weight: $0.baseAddress!, into: xb, count: dim, epsilon: c.rmsNormEpsilon) }

            // q = Wq·xb [qLen]; k = Wk·xb, v = Wv·xb [kvLen], k and v into the cache's row for pos
            let (kRow, vRow) = cache.rowsForWriting(layer: l, position: pos, count: 1)
            let wq = layer.query, wk = layer.key, wv = layer.value
            let input = s.activations.prepare(xb, count: dim, for: wq, wk, wv)   // xb in Q8_K for K-quant weights
            workers.parallelFor(qLen + 2 * kvLen, minimumPerThread: 64) { range in
                let qPart = range.clamped(to: 0 ..< qLen)
                let kPart = range.clamped(to: qLen ..< qLen + kvLen)
                let vPart = range.clamped(to: qLen + kvLen ..< qLen + 2 * kvLen)
                wq.multiply(input, into: q + qPart.lowerBound, rows: qPart)
                wk.multiply(input, into: kRow + (kPart.lowerBound - qLen), rows: (kPart.lowerBound - qLen) ..< (kPart.upperBound - qLen))
                wv.multiply(input, into: vRow + (vPart.lowerBound - qLen - kvLen),
                            rows: (vPart.lowerBound - qLen - kvLen) ..< (vPart.upperBound - qLen - kvLen))
            }
            // q += bq, k += bk, v += bv (qwen2); q_h = rmsnorm(q_h) ⊙ q_norm, k_h likewise (qwen3, gemma3)
            finishProjections(layer, q: q, k: kRow, v: vRow)

            // RoPE on every query head and key head at angle pos·base^(−2i/rot)
            let rope = rotation(layer: l, cache: cache)
            rope.apply(q, heads: c.headCount, position: pos)
            rope.apply(kRow, heads: c.kvHeadCount, position: pos)
            cache.commitRows(layer: l, position: pos, count: 1)

            // att_h = Σ_t softmax_t(scale · q_h·k_t) v_t over the window's positions t ≤ pos,
            // query head h reading KV head h / groupSize (grouped-query attention, 9 : 3)
            let scores = s.scores, stride = s.scoreStride, hd = c.headDimension
            let window = attentionWindow(layer: l, position: pos)
            workers.parallelFor(c.headCount) { heads in
                for h in heads {
                    self.attend(query: q + h * hd, kvHead: h / c.groupSize, layer: l, positions: window, cache: cache,
                                scores: scores + h * stride, into: att + h * hd)
                }
            }

            // x += Wo·att, through post_attention_norm first in gemma3               [dim]
            addProjection(layer.attentionOutput, of: att, normalizedBy: layer.postAttentionNorm, into: x)

            // xb = rmsnorm(x) ⊙ ffn_norm;  hidden = act(W1·xb) ⊙ (W3·xb)        [ff]
            layer.feedForwardNorm.withUnsafeBufferPointer { rmsNorm(x, weight: $0.baseAddress!, into: xb, count: dim, epsilon: c.rmsNormEpsilon) }
            let w1 = layer.gate, w3 = layer.up, activation = c.activation
            let normalized = s.activations.prepare(xb, count: dim, for: w1, w3)
            workers.parallelFor(ff, minimumPerThread: 64) { range in
                w1.multiply(normalized, into: gate + range.lowerBound, rows: range)
                w3.multiply(normalized, into: up + range.lowerBound, rows: range)
                gatedActivation(activation, gate: gate + range.lowerBound, up: up + range.lowerBound,
                                into: hidden + range.lowerBound, count: range.count)
            }

            // x += W2·hidden, through post_ffw_norm first in gemma3                 [dim]
            addProjection(layer.down, of: hidden, normalizedBy: layer.postFeedForwardNorm, into: x)
        }

        // logits = E · (rmsnorm(x) ⊙ output_norm), E the (tied) output matrix   [vocab]
        weights.outputNorm.withUnsafeBufferPointer { rmsNorm(x, weight: $0.baseAddress!, into: xb, count: dim, epsilon: c.rmsNormEpsilon) }
        computeLogits(from: xb)
        cache.count = pos + 1
    }

    /// `x += W·input`, or `x += rmsnorm(W·input) ⊙ postNorm` when the family normalises a
    /// sublayer's output before the residual add (gemma3).
    func addProjection(_ w: QuantizedMatrix, of input: UnsafePointer<Float>, normalizedBy postNorm: [Float]?,
                       into x: UnsafeMutablePointer<Float>) {
        let projected = scratch.projected, dim = config.embeddingLength
        let input = scratch.activations.prepare(input, count: w.columns, for: w)
        guard let postNorm else {
            SpinningWorkers.shared.parallelFor(dim, minimumPerThread: 32) { range in
                w.multiply(input, into: projected + range.lowerBound, rows: range)
                addInPlace(x + range.lowerBound, projected + range.lowerBound, count: range.count)
            }
            return
        }
        SpinningWorkers.shared.parallelFor(dim, minimumPerThread: 32) { range in
            w.multiply(input, into: projected + range.lowerBound, rows: range)
        }
        postNorm.withUnsafeBufferPointer { rmsNorm(projected, weight: $0.baseAddress!, into: projected, count: dim, epsilon: config.rmsNormEpsilon) }
        addInPlace(x, projected, count: dim)
    }

    /// `logits = output · xb` [vocab] into the scratch logits, then `c·tanh(logits/c)` when the
    /// family soft-caps them (gemma3's final_logit_softcapping).
    func computeLogits(from xb: UnsafePointer<Float>) {
        let output = weights.output, logits = scratch.logits, softcap = config.finalLogitSoftcap
        let input = scratch.activations.prepare(xb, count: config.embeddingLength, for: output)
        SpinningWorkers.shared.parallelFor(config.vocabularySize, minimumPerThread: 512) { range in
            output.multiply(input, into: logits + range.lowerBound, rows: range)
            if let softcap {
                for i in range { logits[i] = softcap * tanhf(logits[i] / softcap) }
            }
        }
    }

    /// One query head's attention over the cached keys and values at `positions`, and at the
    /// cache slots `slots` after them (a tree token's ancestors and itself,
    /// ``forward(tree:parents:cache:)``): `out = Σ_t softmax_t(scale · q·k_t) v_t` ([hd] floats),
    /// one softmax over both, `scores` holding `positions.count + slots.count` floats.
    func attend(query q: UnsafePointer<Float>, kvHead g: Int, layer l: Int, positions: Range<Int>, andSlots slots: [Int] = [],
                cache: KVCache, scores: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let hd = config.headDimension, kvOffset = g * hd, n = positions.count, scale = config.attentionScale
        for (j, slot) in slots.enumerated() {
            scores[n + j] = cache.dotKey(q, layer: l, position: slot, offset: kvOffset, count: hd) * scale
        }
        if n > 0, let rows = cache.floatRows(layer: l, position: positions.lowerBound, offset: kvOffset) {
            attentionScores(q, keys: rows.keys, stride: cache.rowWidth, count: n, dimension: hd, scale: scale, into: scores)
        } else {
            for t in positions { scores[t - positions.lowerBound] = cache.dotKey(q, layer: l, position: t, offset: kvOffset, count: hd) * scale }
        }
        softmaxInPlaceVectorized(scores, count: n + slots.count)
        if n > 0, let rows = cache.floatRows(layer: l, position: positions.lowerBound, offset: kvOffset) {
            attentionValues(scores, values: rows.values, stride: cache.rowWidth, count: n, dimension: hd, into: out)
        } else {
            out.initialize(repeating: 0, count: hd)
            for t in positions { cache.addValue(scores[t - positions.lowerBound], layer: l, position: t, offset: kvOffset, into: out, count: hd) }
        }
        for (j, slot) in slots.enumerated() {
            cache.addValue(scores[n + j], layer: l, position: slot, offset: kvOffset, into: out, count: hd)
        }
    }
}
