import Tensors

extension LlamaModel {
    /// The batched path: `tokens` at positions cache.count ..< cache.count + T go through each
    /// layer together, every linear layer one sgemm over a dequantised weight (the same forward
    /// as ``decodeStep(token:cache:)``, with [T, ·] matrices). Long prompts go in chunks of 512
    /// (llama.cpp's ubatch) to bound the scratch memory. Leaves the last token's logits.
    func prefill(_ tokens: [Int32], cache: KVCache) {
        var start = 0
        while start < tokens.count {
            let end = min(tokens.count, start + 512)
            prefillChunk(tokens[start ..< end], cache: cache)
            start = end
        }
    }

    private func prefillChunk(_ tokens: ArraySlice<Int32>, cache: KVCache) {
        let c = config
        let T = tokens.count, p0 = cache.count, total = p0 + T
        let dim = c.embeddingLength, kvDim = c.kvHeadCount * c.headDimension, ff = c.feedForwardLength, hd = c.headDimension
        rope.prepare(positions: total)
        let b = PrefillBuffers(tokens: T, positions: total, config: c)
        defer { b.deallocate() }
        let x = b.x, xb = b.xb, q = b.q, gate = b.gate, up = b.up, w = b.weightTile

        // X = token_embd[tokens]                                             [T, dim]
        for (i, t) in tokens.enumerated() {
            weights.tokenEmbedding.dequantize(rows: Int(t) ..< Int(t) + 1, into: x + i * dim)
        }

        for (l, layer) in weights.layers.enumerated() {
            // XB = rmsnorm(X) ⊙ attn_norm, row by row                         [T, dim]
            normalizeRows(x, layer.attentionNorm, into: xb, tokens: T)

            // Q = XB·Wqᵀ [T, dim]; K = XB·Wkᵀ, V = XB·Wvᵀ [T, kvDim] into cache rows p0 ..< p0+T
            let kRows = cache.key(layer: l, position: p0), vRows = cache.value(layer: l, position: p0)
            layer.query.multiplyBatch(xb, xStride: dim, tokens: T, into: q, outStride: dim, scratch: w)
            layer.key.multiplyBatch(xb, xStride: dim, tokens: T, into: kRows, outStride: kvDim, scratch: w)
            layer.value.multiplyBatch(xb, xStride: dim, tokens: T, into: vRows, outStride: kvDim, scratch: w)

            // RoPE, each row at its own position
            let rope = self.rope
            parallelFor(T) { rows in
                for i in rows {
                    rope.apply(q + i * dim, heads: c.headCount, position: p0 + i)
                    rope.apply(kRows + i * kvDim, heads: c.kvHeadCount, position: p0 + i)
                }
            }

            // per head h (KV head g = h / groupSize):
            //   S = Q_h · K_gᵀ / √hd [T, total], causal mask, softmax rows; XB_h = S · V_g [T, hd]
            let keys = cache.key(layer: l, position: 0), values = cache.value(layer: l, position: 0)
            let scores = b.scores
            for h in 0 ..< c.headCount {
                let g = h / c.groupSize
                sgemm(rows: T, columns: total, inner: hd,
                      a: q + h * hd, lda: dim, transposeA: false,
                      b: keys + g * hd, ldb: kvDim, transposeB: true,
                      c: scores, ldc: total, alpha: 1 / Float(hd).squareRoot())
                parallelFor(T, minimumPerThread: 8) { rows in
                    for i in rows {
                        let row = scores + i * total
                        let visible = p0 + i + 1                  // token i sees positions 0 … p0+i
                        softmaxInPlaceVectorized(row, count: visible)
                        (row + visible).initialize(repeating: 0, count: total - visible)
                    }
                }
                sgemm(rows: T, columns: hd, inner: total,
                      a: scores, lda: total, transposeA: false,
                      b: values + g * hd, ldb: kvDim, transposeB: false,
                      c: xb + h * hd, ldc: dim)
            }

            // X += XB·Woᵀ                                                     [T, dim]
            layer.attentionOutput.multiplyBatch(xb, xStride: dim, tokens: T, into: b.projected, outStride: dim, scratch: w)
            addInPlace(x, b.projected, count: T * dim)

            // XB = rmsnorm(X) ⊙ ffn_norm; H = silu(XB·W1ᵀ) ⊙ (XB·W3ᵀ)          [T, ff]
            normalizeRows(x, layer.feedForwardNorm, into: xb, tokens: T)
            layer.gate.multiplyBatch(xb, xStride: dim, tokens: T, into: gate, outStride: ff, scratch: w)
            layer.up.multiplyBatch(xb, xStride: dim, tokens: T, into: up, outStride: ff, scratch: w)
            parallelFor(T) { rows in
                for i in rows { swiGLU(gate: gate + i * ff, up: up + i * ff, into: gate + i * ff, count: ff) }
            }

            // X += H·W2ᵀ                                                      [T, dim]
            layer.down.multiplyBatch(gate, xStride: ff, tokens: T, into: b.projected, outStride: dim, scratch: w)
            addInPlace(x, b.projected, count: T * dim)
        }
        cache.count = total

        // logits = E · (rmsnorm(x_last) ⊙ output_norm)                       [vocab]
        let s = scratch, last = x + (T - 1) * dim
        weights.outputNorm.withUnsafeBufferPointer { rmsNorm(last, weight: $0.baseAddress!, into: s.xb, count: dim, epsilon: c.rmsNormEpsilon) }
        let output = weights.output, logits = s.logits, xbLast = s.xb
        SpinningWorkers.shared.parallelFor(c.vocabularySize, minimumPerThread: 512) { range in
            output.multiply(xbLast, into: logits + range.lowerBound, rows: range)
        }
    }

    /// `out[i] = rmsnorm(x[i]) ⊙ weight` for each of `tokens` rows of width dim.
    private func normalizeRows(_ x: UnsafeMutablePointer<Float>, _ weight: [Float], into out: UnsafeMutablePointer<Float>, tokens: Int) {
        let dim = config.embeddingLength, eps = config.rmsNormEpsilon
        weight.withUnsafeBufferPointer { w in
            let wp = w.baseAddress!
            parallelFor(tokens, minimumPerThread: 4) { rows in
                for i in rows { rmsNorm(x + i * dim, weight: wp, into: out + i * dim, count: dim, epsilon: eps) }
            }
        }
    }
}

/// Buffers for one prefill chunk of T tokens (allocated per chunk, not per token).
private struct PrefillBuffers {
    let x, xb, q, projected, gate, up, scores, weightTile: UnsafeMutablePointer<Float>

    init(tokens T: Int, positions: Int, config c: LlamaConfig) {
        let dim = c.embeddingLength, ff = c.feedForwardLength
        x = .allocate(capacity: T * dim)                 // [T, dim] residual stream
        xb = .allocate(capacity: T * dim)                // [T, dim] normalised / attention output
        q = .allocate(capacity: T * dim)                 // [T, heads · hd]
        projected = .allocate(capacity: T * dim)         // [T, dim] Wo / W2 output
        gate = .allocate(capacity: T * ff)               // [T, ff], then silu(gate) ⊙ up
        up = .allocate(capacity: T * ff)                 // [T, ff]
        scores = .allocate(capacity: T * positions)      // [T, positions], one head at a time
        let largest = max(dim * dim, ff * dim, c.kvHeadCount * c.headDimension * dim)
        weightTile = .allocate(capacity: largest)        // one dequantised weight
    }

    func deallocate() {
        for p in [x, xb, q, projected, gate, up, scores, weightTile] { p.deallocate() }
    }
}
