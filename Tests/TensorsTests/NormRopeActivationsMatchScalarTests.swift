import Foundation
import Testing
@testable import Tensors

@Suite("RMSNorm, RoPE, SwiGLU and softmax match their scalar references")
struct NormRopeActivationsMatchScalarTests {
    @Test("RMSNorm (SIMD, float32 sums) equals the float64 scalar twin", arguments: [7, 64, 576, 1001])
    func rmsNormMatches(_ count: Int) {
        let x = randomVector(count, seed: 1), w = randomVector(count, seed: 2)
        var fast = [Float](repeating: 0, count: count), slow = fast
        fast.withUnsafeMutableBufferPointer { rmsNorm(x, weight: w, into: $0.baseAddress!, count: count, epsilon: 1e-5) }
        slow.withUnsafeMutableBufferPointer { rmsNormScalar(x, weight: w, into: $0.baseAddress!, count: count, epsilon: 1e-5) }
        for i in 0 ..< count { #expect(abs(fast[i] - slow[i]) <= 1e-5 * max(1, abs(slow[i]))) }
    }

    @Test("RoPE rotates adjacent pairs by pos·base^(−2i/d), as the textbook formula", arguments: [0, 1, 7, 100, 600])
    func ropeMatches(_ position: Int) {
        let heads = 3, dimension = 64
        let rope = RotaryEmbedding(dimension: dimension, base: 100_000)
        rope.prepare(positions: position + 1)
        var fast = randomVector(heads * dimension, seed: UInt64(position) + 4), slow = fast
        fast.withUnsafeMutableBufferPointer { rope.apply($0.baseAddress!, heads: heads, position: position) }
        slow.withUnsafeMutableBufferPointer { rotaryEmbeddingScalar($0.baseAddress!, heads: heads, dimension: dimension, position: position, base: 100_000) }
        // ggml's angles are a running float32 product: allow its rounding (grows with the position).
        let tolerance: Float = 2e-6 * Float(max(1, position)) + 1e-6
        for i in fast.indices { #expect(abs(fast[i] - slow[i]) <= tolerance, "element \(i)") }
        if position == 0 {
            let original = randomVector(heads * dimension, seed: 4)
            #expect(fast == original, "position 0 is the identity")
        }
    }

    @Test("SwiGLU with the vector exponential equals silu(g)·u with libm's expf", arguments: [5, 64, 1536])
    func swiGLUMatches(_ count: Int) {
        let g = randomVector(count, seed: 7).map { $0 * 10 }, u = randomVector(count, seed: 8)
        var fast = [Float](repeating: 0, count: count), slow = fast
        fast.withUnsafeMutableBufferPointer { swiGLU(gate: g, up: u, into: $0.baseAddress!, count: count) }
        slow.withUnsafeMutableBufferPointer { swiGLUScalar(gate: g, up: u, into: $0.baseAddress!, count: count) }
        for i in 0 ..< count { #expect(abs(fast[i] - slow[i]) <= 1e-6 * max(1, abs(slow[i]))) }
    }

    @Test("vectorised softmax equals the scalar softmax, including −∞ entries")
    func softmaxMatches() {
        var fast = randomVector(203, seed: 12).map { $0 * 20 }
        fast[17] = -.infinity
        var slow = fast
        fast.withUnsafeMutableBufferPointer { softmaxInPlaceVectorized($0.baseAddress!, count: $0.count) }
        slow.withUnsafeMutableBufferPointer { softmaxInPlace($0.baseAddress!, count: $0.count) }
        for i in fast.indices { #expect(abs(fast[i] - slow[i]) <= 1e-6) }
        #expect(fast[17] < 1e-30)
    }
}
