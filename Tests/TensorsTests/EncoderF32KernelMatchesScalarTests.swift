import Testing
@testable import Tensors

/// The encoder's packed float32 linear layer (CKernels EncoderF32.c): the portable and AVX-512
/// paths give the scalar twin's bits (one fused multiply-add chain per element), with and without
/// threads, on shapes with partial panels (outputs not a multiple of 48), token tails (not a
/// multiple of the 8-token micro-kernel) and more tokens than one token block; and it agrees with
/// sgemm to float32 rounding.
@Suite("Encoder fp32 kernel matches its scalar twin")
struct EncoderF32KernelMatchesScalarTests {
    /// (tokens, outputs, inputs)
    static let shapes: [(Int, Int, Int)] = [(1, 16, 8), (7, 80, 192), (13, 384, 384), (203, 96, 1536), (9, 1152, 384)]

    static var levels: [Int] { F32Kernels.level == 5 ? [0, 5] : [0] }

    @Test("every level gives the scalar twin's bits", arguments: [0, 1, 2, 3, 4])
    func matchesScalar(_ shape: Int) {
        let (tokens, outputs, inputs) = Self.shapes[shape]
        let w = Matrix(rows: outputs, columns: inputs, values: randomVector(outputs * inputs, seed: 11).map { $0 / 16 })
        let weight = F32Weight(packing: w)
        let x = randomActivations(rows: tokens, columns: inputs, seed: 12)
        let bias = randomVector(outputs, seed: 13)
        let expected = F32Weight.multiplyScalar(x, weight: w, bias: bias)
        for level in Self.levels {
            for parallel in [false, true] {
                let got = weight.multiply(x, bias: bias, parallel: parallel, level: level)
                #expect(got.values == expected.values, "level \(level), shape \(Self.shapes[shape]), parallel \(parallel)")
                var y = randomActivations(rows: tokens, columns: outputs, seed: 14)
                let before = y
                y.values.withUnsafeMutableBufferPointer {
                    weight.run(x, bias: bias, into: $0, accumulate: true, parallel: parallel, level: level)
                }
                #expect(y.values == zip(before.values, expected.values).map { $0 + $1 }, "accumulate, level \(level), shape \(Self.shapes[shape])")
            }
        }
    }

    @Test("GELU fused into the product: the bits of the product then geluRows (AVX-512), close to the scalar twin's GELU (portable)",
          arguments: [1, 3])
    func fusedGELU(_ shape: Int) {
        let (tokens, outputs, inputs) = Self.shapes[shape]
        let w = Matrix(rows: outputs, columns: inputs, values: randomVector(outputs * inputs, seed: 41).map { $0 / 8 })
        let weight = F32Weight(packing: w)
        let x = randomActivations(rows: tokens, columns: inputs, seed: 42)
        let bias = randomVector(outputs, seed: 43)
        for level in Self.levels {
            for parallel in [false, true] {
                let fused = weight.multiplyGELU(x, bias: bias, parallel: parallel, level: level)
                if level == 5 {
                    var separate = weight.multiply(x, bias: bias, parallel: parallel, level: level)
                    geluRows(&separate, parallel: parallel)
                    #expect(fused.values == separate.values, "shape \(Self.shapes[shape]), parallel \(parallel)")
                } else {
                    let before = F32Weight.multiplyScalar(x, weight: w, bias: bias).values
                    for (got, v) in zip(fused.values, before) {
                        // erf to 1.5e-7 (Abramowitz & Stegun), times |v|/2, plus float32 rounding
                        #expect(abs(got - geluScalar(v)) <= 1e-6 * max(1, abs(v)), "portable, shape \(Self.shapes[shape])")
                    }
                }
            }
        }
    }

    @Test("a token's output does not depend on the other tokens of the batch")
    func independentOfBatch() {
        let (outputs, inputs) = (384, 384)
        let w = Matrix(rows: outputs, columns: inputs, values: randomVector(outputs * inputs, seed: 21).map { $0 / 16 })
        let weight = F32Weight(packing: w)
        let bias = randomVector(outputs, seed: 22)
        let x = randomActivations(rows: 50, columns: inputs, seed: 23)
        let all = weight.multiply(x, bias: bias, parallel: true)
        for t in [0, 17, 49] {
            let one = weight.multiply(Matrix(rows: 1, columns: inputs, values: x.row(t)), bias: bias, parallel: false)
            #expect(one.values == all.row(t))
        }
    }

    @Test("within float32 rounding of sgemm")
    func closeToSgemm() {
        let (tokens, outputs, inputs) = (13, 384, 1536)
        let w = Matrix(rows: outputs, columns: inputs, values: randomVector(outputs * inputs, seed: 31).map { $0 / 16 })
        let x = randomActivations(rows: tokens, columns: inputs, seed: 32)
        let bias = randomVector(outputs, seed: 33)
        let reference = multiply(x, transposing: w, bias: bias)
        let got = F32Weight(packing: w).multiply(x, bias: bias, parallel: false)
        for t in 0..<tokens {
            let magnitude = (0..<inputs).reduce(Float(0)) { $0 + abs(x[t, $1]) } * 0.125 + 1
            for n in 0..<outputs { #expect(abs(got[t, n] - reference[t, n]) <= Float(inputs) * magnitude * 0x1p-23) }
        }
    }
}
