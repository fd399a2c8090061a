import Testing
import TroveTestSupport
@testable import Tensors

/// The decode step's attention loops over a float32 KV cache (CKernels DecoderAttention.c)
/// against their scalar twins, at every kernel level.
@Suite("Attention over cached keys and values matches its scalar twin", .serialized)
struct CachedAttentionMatchesScalarTests {
    @Test("scores equal scale·q·k within float rounding; values equal the position-ordered FMA loop bit for bit",
          arguments: [0, 2, 5, 6], [64, 128, 40])
    func matchesScalar(_ level: Int, _ hd: Int) {
        ProcessWideSettings.acquire()
        QuantizedKernels.force(level: level)
        defer { QuantizedKernels.force(level: 6); ProcessWideSettings.release() }
        let count = 37, stride = 3 * hd + 8, scale: Float = 0.125
        let q = randomVector(hd, seed: 7), keys = randomVector(count * stride, seed: 8), values = randomVector(count * stride, seed: 9)
        let p = randomVector(count, seed: 10).map { abs($0) }
        var scores = [Float](repeating: .nan, count: count), out = [Float](repeating: .nan, count: hd)
        attentionScores(q, keys: keys, stride: stride, count: count, dimension: hd, scale: scale, into: &scores)
        attentionValues(p, values: values, stride: stride, count: count, dimension: hd, into: &out)
        for t in 0 ..< count {
            var dot: Float = 0, magnitude: Float = 0
            for i in 0 ..< hd { dot += q[i] * keys[t * stride + i]; magnitude += abs(q[i] * keys[t * stride + i]) }
            #expect(abs(scores[t] - dot * scale) <= 1e-6 * magnitude * scale, "position \(t): \(scores[t]) vs \(dot * scale)")
        }
        var expected = [Float](repeating: 0, count: hd)
        for t in 0 ..< count {
            for i in 0 ..< hd { expected[i] = expected[i].addingProduct(p[t], values[t * stride + i]) }
        }
        #expect(out.map(\.bitPattern) == expected.map(\.bitPattern))
    }
}
