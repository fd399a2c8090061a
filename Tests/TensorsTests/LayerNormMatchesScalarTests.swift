import Testing
@testable import Tensors

@Suite("Layer norm matches its scalar twin") struct LayerNormMatchesScalarTests {
    @Test("SIMD layer norm equals the Double reference", arguments: [384, 37, 8, 1536])
    func matches(count: Int) {
        // A large mean and a small spread, where a careless one-pass variance would fail.
        let x = (0..<count).map { 50 + Float(($0 * 7919) % 101) / 37 }
        let weight = (0..<count).map { 0.5 + Float($0 % 13) / 10 }
        let bias = (0..<count).map { Float($0 % 7) / 5 - 0.6 }
        let expected = layerNormScalar(x, weight: weight, bias: bias, epsilon: 1e-12)
        var m = Matrix(rows: 3, columns: count, values: x + x + x)
        layerNormRows(&m, weight: weight, bias: bias, epsilon: 1e-12)
        for r in 0..<3 {
            for c in 0..<count { #expect(abs(m[r, c] - expected[c]) < 2e-5, "row \(r) column \(c)") }
        }
    }
}
