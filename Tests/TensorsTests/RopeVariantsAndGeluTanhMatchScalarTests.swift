import Foundation
import Testing
@testable import Tensors

@Suite("RoPE's pairings, partial rotation, scaling and GeGLU-tanh match their scalar references")
struct RopeVariantsAndGeluTanhMatchScalarTests {
    struct Variant: CustomTestStringConvertible, Sendable {
        let name: String
        let dimension, rotated: Int
        let pairing: RotaryEmbedding.Pairing
        let scale, magnitude: Float
        let factors: Bool
        var testDescription: String { name }
    }
    static let variants = [
        Variant(name: "halves (neox), whole head", dimension: 64, rotated: 64, pairing: .halves, scale: 1, magnitude: 1, factors: false),
        Variant(name: "halves, partial rotation 3/4", dimension: 64, rotated: 48, pairing: .halves, scale: 1, magnitude: 1, factors: false),
        Variant(name: "adjacent with Llama 3 frequency factors", dimension: 32, rotated: 32, pairing: .adjacent, scale: 1, magnitude: 1, factors: true),
        Variant(name: "halves, linear scaling 1/8, magnitude 1.19, factors", dimension: 32, rotated: 32, pairing: .halves, scale: 0.125, magnitude: 1.19, factors: true),
    ]

    @Test("each variant rotates as the textbook formula", arguments: variants, [0, 3, 250])
    func ropeVariantMatches(_ v: Variant, _ position: Int) {
        let heads = 2
        let factors: [Float]? = v.factors ? (0 ..< v.rotated / 2).map { 1 + Float($0 % 5) * 0.75 } : nil
        let rope = RotaryEmbedding(dimension: v.dimension, rotatedDimension: v.rotated, base: 10_000, pairing: v.pairing,
                                   frequencyScale: v.scale, frequencyFactors: factors, magnitudeScale: v.magnitude)
        rope.prepare(positions: position + 1)
        var fast = randomVector(heads * v.dimension, seed: UInt64(position) + 40), slow = fast
        let original = fast
        fast.withUnsafeMutableBufferPointer { rope.apply($0.baseAddress!, heads: heads, position: position) }
        slow.withUnsafeMutableBufferPointer {
            rotaryEmbeddingScalar($0.baseAddress!, heads: heads, dimension: v.dimension, position: position, base: 10_000,
                                  rotatedDimension: v.rotated, pairing: v.pairing, frequencyScale: Double(v.scale),
                                  frequencyFactors: factors, magnitudeScale: Double(v.magnitude))
        }
        let tolerance: Float = 2e-6 * Float(max(1, position)) + 2e-6
        for i in fast.indices { #expect(abs(fast[i] - slow[i]) <= tolerance, "element \(i)") }
        for h in 0 ..< heads {
            for i in v.rotated ..< v.dimension { #expect(fast[h * v.dimension + i] == original[h * v.dimension + i], "unrotated element \(i) passes through") }
        }
    }

    @Test("GeGLU-tanh with the vector exponential equals gelu_tanh(g)·u with libm's tanhf", arguments: [5, 64, 1536])
    func geluTanhMatches(_ count: Int) {
        let g = randomVector(count, seed: 17).map { $0 * 8 }, u = randomVector(count, seed: 18)
        var fast = [Float](repeating: 0, count: count), slow = fast
        fast.withUnsafeMutableBufferPointer { geluTanhGated(gate: g, up: u, into: $0.baseAddress!, count: count) }
        slow.withUnsafeMutableBufferPointer { geluTanhGatedScalar(gate: g, up: u, into: $0.baseAddress!, count: count) }
        for i in 0 ..< count { #expect(abs(fast[i] - slow[i]) <= 2e-6 * max(1, abs(slow[i]))) }
        var large = [Float](repeating: 0, count: 2)
        large.withUnsafeMutableBufferPointer { geluTanhGated(gate: [-60, 60], up: [1, 1], into: $0.baseAddress!, count: 2) }
        #expect(large == [0, 60], "saturates to 0 and to x")
    }
}
