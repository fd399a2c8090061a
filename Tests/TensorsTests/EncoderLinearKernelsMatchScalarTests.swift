import Testing
import TroveTestSupport
@testable import Tensors

/// A random matrix with a few large columns, as the encoder's activations have (outliers).
func randomActivations(rows: Int, columns: Int, seed: UInt64) -> Matrix {
    var values = randomVector(rows * columns, seed: seed)
    for r in 0..<rows where r % 3 == 1 { values[r * columns + (r * 7) % columns] *= 20 }
    if rows > 2 { for c in 0..<columns { values[2 * columns + c] = 0 } }      // an all-zero row
    return Matrix(rows: rows, columns: columns, values: values)
}

/// The int8 and bf16 linear layers of the encoder (CKernels EncoderInt8.c, EncoderBF16.c): every
/// instruction-set level against the Swift scalar twin, on shapes with partial panels (rows not a
/// multiple of 32), token tails (not a multiple of the 6-token micro-kernel) and more tokens than
/// one token block (96).
@Suite("Encoder int8 and bf16 kernels match their scalar twins", .serialized)
struct EncoderLinearKernelsMatchScalarTests {
    /// (tokens, outputs, inputs)
    static let shapes: [(Int, Int, Int)] = [(1, 32, 64), (7, 80, 192), (13, 384, 384), (101, 96, 1536)]

    @Test("int8: every level gives the scalar twin's bits", arguments: [0, 2, 5], [0, 1, 2, 3])
    func int8Matches(_ level: Int, _ shape: Int) {
        ProcessWideSettings.acquire()
        Int8Kernels.force(level: level)
        defer { Int8Kernels.force(level: 5); ProcessWideSettings.release() }
        let (tokens, outputs, inputs) = Self.shapes[shape]
        let weight = Int8Weight(quantizing: Matrix(rows: outputs, columns: inputs,
                                                   values: randomVector(outputs * inputs, seed: 7).map { $0 / 16 }))
        let x = randomActivations(rows: tokens, columns: inputs, seed: 3)
        let bias = randomVector(outputs, seed: 5)
        let expected = weight.multiplyScalar(x, bias: bias)
        for parallel in [false, true] {
            let got = weight.multiply(x, bias: bias, parallel: parallel)
            #expect(got.values == expected.values, "level \(level), shape \(Self.shapes[shape]), parallel \(parallel)")
            var y = randomActivations(rows: tokens, columns: outputs, seed: 9)
            let before = y
            weight.addProduct(x, bias: bias, into: &y, parallel: parallel)
            #expect(y.values == zip(before.values, expected.values).map { $0 + $1 }, "addProduct, level \(level)")
        }
    }

    @Test("int8: the product is within the quantisation's bound of the float32 product")
    func int8CloseToFloat() {
        let (tokens, outputs, inputs) = (13, 384, 384)
        let w = Matrix(rows: outputs, columns: inputs, values: randomVector(outputs * inputs, seed: 21).map { $0 / 16 })
        let x = randomActivations(rows: tokens, columns: inputs, seed: 22)
        let bias = [Float](repeating: 0, count: outputs)
        let exact = multiply(x, transposing: w)
        let got = Int8Weight(quantizing: w).multiply(x, bias: bias, parallel: false)
        for t in 0..<tokens {
            // |error| ≤ Σ_k |x||Δw| + |Δx||w| ≲ K · (max|x|/254 · max|w| + max|x| · max|w|/254)
            let xTop = (0..<inputs).map { abs(x[t, $0]) }.max()!
            let bound = Float(inputs) * xTop * 0.125 * 2 / 254 * 1.01
            for n in 0..<outputs { #expect(abs(got[t, n] - exact[t, n]) <= bound) }
        }
    }

    @Test("bf16: every level within float32 rounding of the scalar twin", arguments: [0, 5], [0, 1, 2, 3])
    func bf16Matches(_ level: Int, _ shape: Int) {
        ProcessWideSettings.acquire()
        BF16Kernels.force(level: level)
        defer { BF16Kernels.force(level: 5); ProcessWideSettings.release() }
        let (tokens, outputs, inputs) = Self.shapes[shape]
        let w = Matrix(rows: outputs, columns: inputs, values: randomVector(outputs * inputs, seed: 8).map { $0 / 16 })
        let weight = BF16Weight(rounding: w)
        let x = randomActivations(rows: tokens, columns: inputs, seed: 4)
        let bias = randomVector(outputs, seed: 6)
        let expected = weight.multiplyScalar(x, bias: bias)
        for parallel in [false, true] {
            let got = weight.multiply(x, bias: bias, parallel: parallel)
            for t in 0..<tokens {
                // float32 sums of K exact products: |error| ≤ K · 2⁻²⁴ · Σ|products| (loosely)
                let magnitude = (0..<inputs).reduce(Float(0)) { $0 + abs(x[t, $1]) } * 0.125 + abs(bias.max()!)
                let bound = Float(inputs) * magnitude * 0x1p-24 + 1e-6
                for n in 0..<outputs {
                    #expect(abs(got[t, n] - expected[t, n]) <= bound, "level \(level), shape \(Self.shapes[shape]), [\(t), \(n)]")
                }
            }
        }
    }

    @Test("bf16 rounding: nearest even, NaN kept, subnormals to zero")
    func bf16Rounding() {
        #expect(bfloat16Bits(1.0) == 0x3f80)
        #expect(bfloat16Bits(Float(bitPattern: 0x3f80_8000)) == 0x3f80)    // tie → even
        #expect(bfloat16Bits(Float(bitPattern: 0x3f81_8000)) == 0x3f82)    // tie → even (up)
        #expect(bfloat16Bits(Float(bitPattern: 0x3f80_8001)) == 0x3f81)
        #expect(bfloat16Bits(-Float.leastNonzeroMagnitude) == 0x8000)
        #expect(floatFromBFloat16(bfloat16Bits(.nan)).isNaN)
        #expect(floatFromBFloat16(bfloat16Bits(-2.5)) == -2.5)
    }
}
