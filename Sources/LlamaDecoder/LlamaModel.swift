import Tensors

/// A llama-family decoder (SmolLM2-135M and its kin) running on weights kept in their file
/// encoding, with two paths: a batched prefill (panels of exactly dequantised weights times a
/// register-blocked GEMM, in LlamaModel+Prefill.swift) and the one-token decode step below
/// (quantized dot products read straight from the Q4_1/Q8_0 blocks, parallel over output rows).
/// All arithmetic is float32, KV cache included.
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
    let rope: RotaryEmbedding
    let scratch: DecodeScratch
    /// Prompts shorter than this run through the decode step token by token: dequantising
    /// every weight panel for the batched product costs about as much as a few one-token steps.
    public var batchedPrefillThreshold = 8

    /// A model over checked weights; `storage` is kept alive as long as the model.
    public init(config: LlamaConfig, weights: LlamaWeights, storage: AnyObject?) {
        self.config = config
        self.weights = weights
        self.storage = storage
        rope = RotaryEmbedding(dimension: config.headDimension, base: config.ropeFrequencyBase)
        scratch = DecodeScratch(config: config)
    }

    /// A KV cache sized for this model (`capacity` positions, default its context length).
    public func makeCache(capacity: Int? = nil) -> KVCache { KVCache(config: config, capacity: capacity) }

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
    /// Shapes for SmolLM2: dim 576, kvDim 192, ff 1536, 9 heads of 64, vocab 49152.
    func decodeStep(token: Int32, cache: KVCache) {
        let c = config, s = scratch
        let dim = c.embeddingLength, kvDim = c.kvHeadCount * c.headDimension, ff = c.feedForwardLength
        let pos = cache.count
        let workers = SpinningWorkers.shared
        rope.prepare(positions: pos + 1)
        s.reserveScores(positions: pos + 1)
        let x = s.x, xb = s.xb, q = s.q, projected = s.projected, gate = s.gate, up = s.up, hidden = s.hidden

        // x = token_embd[token]                                              [dim]
        weights.tokenEmbedding.dequantize(rows: Int(token) ..< Int(token) + 1, into: x)

        for (l, layer) in weights.layers.enumerated() {
            // xb = rmsnorm(x) ⊙ attn_norm                                      [dim]
            layer.attentionNorm.withUnsafeBufferPointer { rmsNorm(x, weight: $0.baseAddress!, into: xb, count: dim, epsilon: c.rmsNormEpsilon) }

            // q = Wq·xb [dim]; k = Wk·xb, v = Wv·xb [kvDim], k and v straight into the cache row
            let kRow = cache.key(layer: l, position: pos), vRow = cache.value(layer: l, position: pos)
            let wq = layer.query, wk = layer.key, wv = layer.value
            workers.parallelFor(dim + 2 * kvDim, minimumPerThread: 64) { range in
                let qPart = range.clamped(to: 0 ..< dim)
                let kPart = range.clamped(to: dim ..< dim + kvDim)
                let vPart = range.clamped(to: dim + kvDim ..< dim + 2 * kvDim)
                wq.multiply(xb, into: q + qPart.lowerBound, rows: qPart)
                wk.multiply(xb, into: kRow + (kPart.lowerBound - dim), rows: (kPart.lowerBound - dim) ..< (kPart.upperBound - dim))
                wv.multiply(xb, into: vRow + (vPart.lowerBound - dim - kvDim),
                            rows: (vPart.lowerBound - dim - kvDim) ..< (vPart.upperBound - dim - kvDim))
            }

            // RoPE on every query head and key head, adjacent pairs at angle pos·base^(−2i/hd)
            rope.apply(q, heads: c.headCount, position: pos)
            rope.apply(kRow, heads: c.kvHeadCount, position: pos)

            // xb_h = Σ_t softmax_t(q_h·k_t/√hd) v_t over positions 0…pos, query head h reading
            // KV head h / groupSize (grouped-query attention, 9 : 3)
            let scores = s.scores, stride = s.scoreStride, hd = c.headDimension
            workers.parallelFor(c.headCount) { heads in
                for h in heads {
                    self.attend(query: q + h * hd, kvHead: h / c.groupSize, layer: l, positions: pos + 1, cache: cache,
                                scores: scores + h * stride, into: xb + h * hd)
                }
            }

            // x += Wo·xb                                                       [dim]
            let wo = layer.attentionOutput
            workers.parallelFor(dim, minimumPerThread: 32) { range in
                wo.multiply(xb, into: projected + range.lowerBound, rows: range)
                addInPlace(x + range.lowerBound, projected + range.lowerBound, count: range.count)
            }

            // xb = rmsnorm(x) ⊙ ffn_norm;  hidden = silu(W1·xb) ⊙ (W3·xb)      [ff]
            layer.feedForwardNorm.withUnsafeBufferPointer { rmsNorm(x, weight: $0.baseAddress!, into: xb, count: dim, epsilon: c.rmsNormEpsilon) }
            let w1 = layer.gate, w3 = layer.up
            workers.parallelFor(ff, minimumPerThread: 64) { range in
                w1.multiply(xb, into: gate + range.lowerBound, rows: range)
                w3.multiply(xb, into: up + range.lowerBound, rows: range)
                swiGLU(gate: gate + range.lowerBound, up: up + range.lowerBound, into: hidden + range.lowerBound, count: range.count)
            }

            // x += W2·hidden                                                   [dim]
            let w2 = layer.down
            workers.parallelFor(dim, minimumPerThread: 32) { range in
                w2.multiply(hidden, into: projected + range.lowerBound, rows: range)
                addInPlace(x + range.lowerBound, projected + range.lowerBound, count: range.count)
            }
        }

        // logits = E · (rmsnorm(x) ⊙ output_norm), E the (tied) output matrix   [vocab]
        weights.outputNorm.withUnsafeBufferPointer { rmsNorm(x, weight: $0.baseAddress!, into: xb, count: dim, epsilon: c.rmsNormEpsilon) }
        let output = weights.output, logits = s.logits
        workers.parallelFor(c.vocabularySize, minimumPerThread: 512) { range in
            output.multiply(xb, into: logits + range.lowerBound, rows: range)
        }
        cache.count = pos + 1
    }

    /// One query head's attention over the first `positions` cached keys and values:
    /// `out = Σ_t softmax_t(q·k_t / √hd) v_t` ([hd] floats), `scores` holding `positions` floats.
    func attend(query q: UnsafePointer<Float>, kvHead g: Int, layer l: Int, positions: Int, cache: KVCache,
                scores: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let hd = config.headDimension, kvOffset = g * hd
        let scale = 1 / Float(hd).squareRoot()
        for t in 0 ..< positions {
            scores[t] = dotProduct(q, cache.key(layer: l, position: t) + kvOffset, count: hd) * scale
        }
        softmaxInPlaceVectorized(scores, count: positions)
        out.initialize(repeating: 0, count: hd)
        for t in 0 ..< positions {
            axpy(scores[t], cache.value(layer: l, position: t) + kvOffset, into: out, count: hd)
        }
    }
}
