import Tensors

/// The decode step's buffers, allocated once per model (no allocation per token).
final class DecodeScratch {
    /// Residual stream x and its normalised copy xb, [dim] each.
    let x, xb: UnsafeMutablePointer<Float>
    /// A projection's output before it is added into x [dim].
    let projected: UnsafeMutablePointer<Float>
    /// Queries and the attention output, [heads · headDim] each.
    let q, attention: UnsafeMutablePointer<Float>
    /// MLP gate, up and gated hidden activations [ff] each.
    let gate, up, hidden: UnsafeMutablePointer<Float>
    /// Logits [vocab].
    let logits: UnsafeMutablePointer<Float>
    let vocabularySize: Int
    /// Attention scores [heads, scoreStride], grown as the context grows.
    private(set) var scores: UnsafeMutablePointer<Float>
    private(set) var scoreStride: Int
    let heads: Int
    /// Activations quantised for the integer products (decode vectors and prefill batches).
    let activations = ActivationQuantizer()

    init(config c: LlamaConfig) {
        func buffer(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: n)
            p.initialize(repeating: 0, count: n)
            return p
        }
        x = buffer(c.embeddingLength)
        xb = buffer(c.embeddingLength)
        projected = buffer(c.embeddingLength)
        q = buffer(c.queryLength)
        attention = buffer(c.queryLength)
        gate = buffer(c.feedForwardLength)
        up = buffer(c.feedForwardLength)
        hidden = buffer(c.feedForwardLength)
        logits = buffer(c.vocabularySize)
        vocabularySize = c.vocabularySize
        heads = c.headCount
        scoreStride = 256
        scores = buffer(heads * scoreStride)
    }

    deinit {
        for p in [x, xb, projected, q, attention, gate, up, hidden, logits, scores] { p.deallocate() }
    }

    /// The logits as a buffer.
    var logitsBuffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: logits, count: vocabularySize) }

    /// Makes room for `positions` scores per head (doubling; called before any threads run).
    func reserveScores(positions: Int) {
        guard positions > scoreStride else { return }
        var stride = scoreStride
        while stride < positions { stride *= 2 }
        scores.deallocate()
        scores = .allocate(capacity: heads * stride)
        scoreStride = stride
    }
}

/// `Σ a_i b_i` over `count` floats (a multiple of 8 for full speed).
@inline(__always)
func dotProduct(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
    var i = 0
    while i + 16 <= count {
        acc0 = acc0.addingProduct(UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self), UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self))
        acc1 = acc1.addingProduct(UnsafeRawPointer(a + i + 8).loadUnaligned(as: SIMD8<Float>.self), UnsafeRawPointer(b + i + 8).loadUnaligned(as: SIMD8<Float>.self))
        i += 16
    }
    var sum = (acc0 + acc1).sum()
    while i < count { sum += a[i] * b[i]; i += 1 }
    return sum
}

/// `y += a · x` over `count` floats.
@inline(__always)
func axpy(_ a: Float, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i + 8 <= count {
        let v = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
            .addingProduct(SIMD8(repeating: a), UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self))
        UnsafeMutableRawPointer(y + i).storeBytes(of: v, as: SIMD8<Float>.self)
        i += 8
    }
    while i < count { y[i] += a * x[i]; i += 1 }
}
