import Foundation
import Tensors

/// The BERT encoder forward pass (post-norm, as in Devlin et al. 2019 and HF `BertModel`),
/// read top to bottom in ``encode(_:)``. Shapes are for all-MiniLM-L6-v2: hidden 384, 12 heads
/// of 32, feed-forward 1536, 6 layers; T is the number of tokens of all texts in the batch.
///
/// Texts are packed without padding (``TokenBatch``): the linear layers run as one product over
/// [T, 384] (fp32: Tensors' packed AVX-512 kernel, or sgemm without AVX-512; or
/// ``EncoderPrecision``'s int8 and bf16 kernels), attention runs per (text, head) on strided views
/// of the packed Q, K and V. So a text's result does not depend on what else is in its batch (up
/// to float rounding in sgemm, where sgemm runs).
///
/// `parallel` splits the small per-row and per-(text, head) work, and the products (all but
/// sgemm), across ``Threads/count`` threads; callers that run one batch per thread pass false.
struct BertModel: Sendable {
    let config: BertConfig.Transformer
    let weights: BertWeights

    private var hidden: Int { config.hiddenSize }
    private var heads: Int { config.numAttentionHeads }
    private var headSize: Int { config.hiddenSize / config.numAttentionHeads }
    private var epsilon: Float { config.layerNormEps }

    /// The last hidden state of every token: [T, 384].
    func encode(_ batch: TokenBatch, parallel: Bool) -> Matrix {
        var x = embed(batch, parallel: parallel)                              // [T, 384]
        for layer in weights.layers {
            // x = LayerNorm(x + Attention(x)·Woᵀ + bo)
            let context = selfAttention(x, batch, layer, parallel: parallel)  // [T, 384], heads side by side
            layer.attentionOutput.addProduct(context, into: &x, parallel: parallel)
            layerNormRows(&x, weight: layer.attentionNormWeight, bias: layer.attentionNormBias, epsilon: epsilon, parallel: parallel)
            // x = LayerNorm(x + W2·gelu(W1·x + b1) + b2)
            let inner = layer.intermediate.geluOfProduct(x, parallel: parallel)   // gelu(W1·x + b1): [T, 1536]
            layer.output.addProduct(inner, into: &x, parallel: parallel)
            layerNormRows(&x, weight: layer.outputNormWeight, bias: layer.outputNormBias, epsilon: epsilon, parallel: parallel)
        }
        return x
    }

    /// x[t] = LayerNorm(word[id_t] + position[t − start of its text] + tokenType[0]): [T, 384].
    /// Token types are all 0 (one segment per text), as sentence-transformers feeds them.
    private func embed(_ batch: TokenBatch, parallel: Bool) -> Matrix {
        let hidden = self.hidden, epsilon = self.epsilon
        let w = weights
        // Every row is written below: no zero-filling pass.
        return Matrix(rows: batch.tokenCount, columns: hidden) { out in
            let base = out.baseAddress!
            w.wordEmbeddings.values.withUnsafeBufferPointer { words in
                w.positionEmbeddings.values.withUnsafeBufferPointer { positions in
                    w.tokenTypeEmbeddings.values.withUnsafeBufferPointer { types in
                        w.embeddingNormWeight.withUnsafeBufferPointer { gamma in
                            w.embeddingNormBias.withUnsafeBufferPointer { beta in
                                parallelFor(batch.count, minimumPerThread: parallel ? 1 : .max) { sequences in
                                    for s in sequences {
                                        let rows = batch.rows(s)
                                        for t in rows {
                                            let row = base + t * hidden
                                            row.update(from: words.baseAddress! + Int(batch.ids[t]) * hidden, count: hidden)
                                            addInPlace(row, positions.baseAddress! + (t - rows.lowerBound) * hidden, count: hidden)
                                            addInPlace(row, types.baseAddress!, count: hidden)
                                            layerNorm(row, count: hidden, weight: gamma.baseAddress!, bias: beta.baseAddress!, epsilon: epsilon)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Multi-head self-attention within each text; returns the heads' outputs side by side,
    /// before the output projection: [T, 384].
    ///
    ///     [Q | K | V] = x·[Wq | Wk | Wv]ᵀ + b                       [T, 1152]
    ///     per text and head h:  P = softmax(Q_h K_hᵀ / √32)          [n, n]
    ///                           context[:, h·32 ..< (h+1)·32] = P·V_h [n, 32]
    ///
    /// Each (text, head) is one fused kernel (``attentionHead(query:key:value:stride:tokens:headSize:scale:output:outputStride:scratch:)``)
    /// on strided views of the packed Q, K and V, in float32 whatever the linear layers' precision.
    private func selfAttention(_ x: Matrix, _ batch: TokenBatch, _ layer: BertLayerWeights, parallel: Bool) -> Matrix {
        let qkv = layer.queryKeyValue(x, parallel: parallel)                  // [T, 1152]
        let hidden = self.hidden, heads = self.heads, d = headSize
        let stride = 3 * hidden
        let scale = 1 / Float(d).squareRoot()
        let items = batch.count * heads
        let lanes = parallel ? min(Threads.count, items) : 1
        let scratchCount = attentionScratchCount(tokens: batch.longest, headSize: d)
        // Every (text, head) writes its 32 columns of its text's rows: no zero-filling pass.
        return Matrix(rows: batch.tokenCount, columns: hidden) { contextBuffer in
            qkv.values.withUnsafeBufferPointer { qkvBuffer in
                let q0 = qkvBuffer.baseAddress!, out = contextBuffer.baseAddress!
                // Items are dealt round-robin to lanes: the batch is sorted by length, so each
                // lane gets a fair share of long and short texts.
                parallelFor(lanes) { laneRange in
                    var scratch = [Float](repeating: 0, count: scratchCount)
                    scratch.withUnsafeMutableBufferPointer { scratchBuffer in
                        for lane in laneRange {
                            for item in Swift.stride(from: lane, to: items, by: lanes) {
                                let s = item / heads, h = item % heads
                                let rows = batch.rows(s)
                                let q = q0 + rows.lowerBound * stride + h * d
                                attentionHead(query: q, key: q + hidden, value: q + 2 * hidden, stride: stride,
                                              tokens: rows.count, headSize: d, scale: scale,
                                              output: out + rows.lowerBound * hidden + h * d, outputStride: hidden,
                                              scratch: scratchBuffer.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
    }
}
