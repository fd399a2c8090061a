import Foundation
import Tensors

extension LlamaModel {
    /// The batched path: `tokens` at positions cache.count ..< cache.count + T go through each
    /// layer together, every linear layer one matrix product over dequantised weight panels (the same forward
    /// as ``decodeStep(token:cache:)``, with [T, ·] matrices; with int8 activations, every K-quant
    /// product element is computed exactly as the decode step computes it). Long prompts go in chunks of 512
    /// (llama.cpp's ubatch) to bound the scratch memory. Leaves the last token's logits.
    func prefill(_ tokens: [Int32], cache: KVCache) {
        var start = 0
        while start < tokens.count {
            let end = min(tokens.count, start + 512)
            prefillChunk(tokens[start ..< end], cache: cache)
            start = end
        }
    }

    /// Runs a tree of continuations of the cached context in one batched pass and returns the
    /// logits after each of its tokens ([T, vocab], row i predicting what follows token i).
    /// Token i sits in cache slot cache.count + i at position cache.count + depth(i) and attends
    /// to the context and to its own ancestors (`parents[i]`, an earlier index, or nil for a
    /// child of the context): the continuations "Josiah" and "Josiah Merrow" and "1794" cost one
    /// pass of the weights instead of a decode step per token. The cache is left as it was.
    public func forward(tree tokens: [Int32], parents: [Int?], cache: KVCache) throws -> [Float] {
        precondition(parents.count == tokens.count && parents.enumerated().allSatisfy { i, p in p.map { $0 < i } ?? true })
        for t in tokens where t < 0 || Int(t) >= config.vocabularySize {
            throw LlamaDecoderError.tokenOutOfRange(token: t, vocabularySize: config.vocabularySize)
        }
        guard cache.count + tokens.count <= cache.capacity else {
            throw LlamaDecoderError.contextFull(needed: cache.count + tokens.count, capacity: cache.capacity)
        }
        guard !tokens.isEmpty else { return [] }
        var logits = [Float](repeating: 0, count: tokens.count * config.vocabularySize)
        let p0 = cache.count
        logits.withUnsafeMutableBufferPointer { prefillChunk(tokens[...], cache: cache, tree: parents, allLogits: $0.baseAddress!) }
        cache.count = p0
        return logits
    }

    /// `tree`: the parents of a tree pass (``forward(tree:parents:cache:)``), whose logits go to
    /// `allLogits`; nil for a prompt, each token the child of the one before.
    private func prefillChunk(_ tokens: ArraySlice<Int32>, cache: KVCache, tree: [Int?]? = nil,
                              allLogits: UnsafeMutablePointer<Float>? = nil) {
        let c = config
        let T = tokens.count, p0 = cache.count, total = p0 + T
        // A token's position, and the tree tokens it attends to besides the context (itself last).
        var depth = Array(0 ..< T), ancestors: [[Int]] = []
        if let tree {
            for i in 0 ..< T {
                let parent = tree[i]
                depth[i] = parent.map { depth[$0] + 1 } ?? 0
                ancestors.append((parent.map { ancestors[$0] } ?? []) + [i])
            }
        }
        let dim = c.embeddingLength, qLen = c.queryLength, kvLen = c.keyValueLength, ff = c.feedForwardLength, hd = c.headDimension
        prepareRotations(positions: total)
        let b = PrefillBuffers(tokens: T, positions: total, config: c)
        defer { b.deallocate() }
        let x = b.x, xb = b.xb, q = b.q, att = b.attention, gate = b.gate, up = b.up, w = b.weightTile
        let quantizer = scratch.activations   // each batch quantised once for the products that read it (int8 precision)

        // X = token_embd[tokens] (· √dim in gemma3)                          [T, dim]
        for (i, t) in tokens.enumerated() {
            weights.tokenEmbedding.dequantize(rows: Int(t) ..< Int(t) + 1, into: x + i * dim)
        }
        if let scale = c.embeddingScale { scaleInPlace(x, by: scale, count: T * dim) }

        for (l, layer) in weights.layers.enumerated() {
            // XB = rmsnorm(X) ⊙ attn_norm, row by row                         [T, dim]
            normalizeRows(x, layer.attentionNorm, into: xb, tokens: T)

            // Q = XB·Wqᵀ [T, qLen]; K = XB·Wkᵀ, V = XB·Wvᵀ [T, kvLen] into the cache's rows p0 ..< p0+T
            let (kRows, vRows) = cache.rowsForWriting(layer: l, position: p0, count: T)
            let input = quantizer.prepare(xb, count: dim, tokens: T, for: layer.query, layer.key, layer.value)
            layer.query.multiplyBatch(input, tokens: T, into: q, outStride: qLen, scratch: w)
            layer.key.multiplyBatch(input, tokens: T, into: kRows, outStride: kvLen, scratch: w)
            layer.value.multiplyBatch(input, tokens: T, into: vRows, outStride: kvLen, scratch: w)

            // per row: biases and head norms where the family has them, then RoPE at the row's position
            let rope = rotation(layer: l, cache: cache)
            SpinningWorkers.shared.parallelFor(T) { rows in
                for i in rows {
                    self.finishProjections(layer, q: q + i * qLen, k: kRows + i * kvLen, v: vRows + i * kvLen)
                    rope.apply(q + i * qLen, heads: c.headCount, position: p0 + depth[i])
                    rope.apply(kRows + i * kvLen, heads: c.kvHeadCount, position: p0 + depth[i])
                }
            }
            cache.commitRows(layer: l, position: p0, count: T)

            // ATT_h[i] = Σ_t softmax_t(scale · Q_h[i]·k_t) v_t over the window of positions t ≤ p0 + i
            // (causal), query head h reading KV head h / groupSize; one (token, head) pair per work item.
            // Items alternate short and long rows (token 0, T−1, 1, T−2, …) so that contiguous
            // ranges of items carry equal work.
            let heads = c.headCount
            SpinningWorkers.shared.parallelFor(T * heads, minimumPerThread: 4) { items in
                let scores = UnsafeMutablePointer<Float>.allocate(capacity: total)
                defer { scores.deallocate() }
                for item in items {
                    let r = item / heads, h = item % heads
                    let i = r % 2 == 0 ? r / 2 : T - 1 - r / 2
                    if tree != nil {
                        // The context within the window of the token's position, then its branch
                        // (a tree is a few tokens, shorter than any sliding window).
                        let window = self.attentionWindow(layer: l, position: p0 + depth[i])
                        self.attend(query: q + i * qLen + h * hd, kvHead: h / c.groupSize, layer: l,
                                    positions: window.clamped(to: 0 ..< p0), andSlots: ancestors[i].map { p0 + $0 },
                                    cache: cache, scores: scores, into: att + i * qLen + h * hd)
                        continue
                    }
                    self.attend(query: q + i * qLen + h * hd, kvHead: h / c.groupSize, layer: l,
                                positions: self.attentionWindow(layer: l, position: p0 + i),
                                cache: cache, scores: scores, into: att + i * qLen + h * hd)
                }
            }

            // X += ATT·Woᵀ, through post_attention_norm first in gemma3          [T, dim]
            let attended = quantizer.prepare(att, count: qLen, tokens: T, for: layer.attentionOutput)
            layer.attentionOutput.multiplyBatch(attended, tokens: T, into: b.projected, outStride: dim, scratch: w)
            addRows(b.projected, normalizedBy: layer.postAttentionNorm, into: x, tokens: T)

            // XB = rmsnorm(X) ⊙ ffn_norm; H = act(XB·W1ᵀ) ⊙ (XB·W3ᵀ)           [T, ff]
            normalizeRows(x, layer.feedForwardNorm, into: xb, tokens: T)
            let normalized = quantizer.prepare(xb, count: dim, tokens: T, for: layer.gate, layer.up)
            layer.gate.multiplyBatch(normalized, tokens: T, into: gate, outStride: ff, scratch: w)
            layer.up.multiplyBatch(normalized, tokens: T, into: up, outStride: ff, scratch: w)
            let activation = c.activation
            SpinningWorkers.shared.parallelFor(T) { rows in
                for i in rows { gatedActivation(activation, gate: gate + i * ff, up: up + i * ff, into: gate + i * ff, count: ff) }
            }

            // X += H·W2ᵀ, through post_ffw_norm first in gemma3                 [T, dim]
            let hidden = quantizer.prepare(gate, count: ff, tokens: T, for: layer.down)
            layer.down.multiplyBatch(hidden, tokens: T, into: b.projected, outStride: dim, scratch: w)
            addRows(b.projected, normalizedBy: layer.postFeedForwardNorm, into: x, tokens: T)
        }
        cache.count = total

        if let allLogits {
            // LOGITS = rmsnorm(X) ⊙ output_norm · Eᵀ, every row                 [T, vocab]
            normalizeRows(x, weights.outputNorm, into: xb, tokens: T)
            let output = weights.output, vocab = c.vocabularySize
            if output.type == .f32 || output.type.hasBlockKernels {
                let input = quantizer.prepare(xb, count: dim, tokens: T, for: output)
                output.multiplyBatch(input, tokens: T, into: allLogits, outStride: vocab, scratch: w)
                if let softcap = c.finalLogitSoftcap {
                    for i in 0 ..< T * vocab { allLogits[i] = softcap * tanhf(allLogits[i] / softcap) }
                }
            } else {
                // An f16 or bf16 output matrix has no batched kernel, and dequantised it would not
                // fit the scratch: the decode step's logits, row by row.
                for i in 0 ..< T {
                    computeLogits(from: xb + i * dim)
                    (allLogits + i * vocab).update(from: scratch.logits, count: vocab)
                }
            }
            return
        }

        // logits = E · (rmsnorm(x_last) ⊙ output_norm)                       [vocab]
        let s = scratch, last = x + (T - 1) * dim
        weights.outputNorm.withUnsafeBufferPointer { rmsNorm(last, weight: $0.baseAddress!, into: s.xb, count: dim, epsilon: c.rmsNormEpsilon) }
        computeLogits(from: s.xb)
    }

    /// `x[i] += projected[i]`, or `x[i] += rmsnorm(projected[i]) ⊙ postNorm` (gemma3), for each of `tokens` rows of width dim.
    private func addRows(_ projected: UnsafeMutablePointer<Float>, normalizedBy postNorm: [Float]?, into x: UnsafeMutablePointer<Float>, tokens: Int) {
        if let postNorm { normalizeRows(projected, postNorm, into: projected, tokens: tokens) }
        addInPlace(x, projected, count: tokens * config.embeddingLength)
    }

    /// `out[i] = rmsnorm(x[i]) ⊙ weight` for each of `tokens` rows of width dim.
    private func normalizeRows(_ x: UnsafeMutablePointer<Float>, _ weight: [Float], into out: UnsafeMutablePointer<Float>, tokens: Int) {
        let dim = config.embeddingLength, eps = config.rmsNormEpsilon
        weight.withUnsafeBufferPointer { w in
            let wp = w.baseAddress!
            SpinningWorkers.shared.parallelFor(tokens, minimumPerThread: 4) { rows in
                for i in rows { rmsNorm(x + i * dim, weight: wp, into: out + i * dim, count: dim, epsilon: eps) }
            }
        }
    }
}

/// Buffers for one prefill chunk of T tokens (allocated per chunk, not per token).
private struct PrefillBuffers {
    let x, xb, q, attention, projected, gate, up, weightTile: UnsafeMutablePointer<Float>

    init(tokens T: Int, positions: Int, config c: LlamaConfig) {
        let dim = c.embeddingLength, ff = c.feedForwardLength, qLen = c.queryLength
        x = .allocate(capacity: T * dim)                 // [T, dim] residual stream
        xb = .allocate(capacity: T * dim)                // [T, dim] normalised
        q = .allocate(capacity: T * qLen)                // [T, heads · hd]
        attention = .allocate(capacity: T * qLen)        // [T, heads · hd] attention output
        projected = .allocate(capacity: T * dim)         // [T, dim] Wo / W2 output
        gate = .allocate(capacity: T * ff)               // [T, ff], then silu(gate) ⊙ up
        up = .allocate(capacity: T * ff)                 // [T, ff]
        let largest = max(qLen * dim, ff * dim, c.keyValueLength * dim)
        weightTile = .allocate(capacity: largest)        // one dequantised weight (encodings without a C kernel)
    }

    func deallocate() {
        for p in [x, xb, q, attention, projected, gate, up, weightTile] { p.deallocate() }
    }
}
