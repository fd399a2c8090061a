import Testing
@testable import Tensors

@Suite("Matrix multiply") struct MatrixMultiplyMatchesScalarTests {
    @Test("x · wᵀ + bias through sgemm equals the scalar triple loop")
    func sgemmEqualsScalar() {
        let n = 5, k = 37, m = 11
        let x = Matrix(rows: n, columns: k, values: (0..<n * k).map { Float(($0 * 7919) % 23) / 7 - 1.5 })
        let w = Matrix(rows: m, columns: k, values: (0..<m * k).map { Float(($0 * 104729) % 31) / 11 - 1.2 })
        let bias = (0..<m).map { Float($0) / 3 }
        let y = multiply(x, transposing: w, bias: bias)
        for r in 0..<n {
            for c in 0..<m {
                var expected = bias[c]
                for i in 0..<k { expected += x[r, i] * w[c, i] }
                #expect(abs(y[r, c] - expected) < 1e-4)
            }
        }
    }

    @Test("softmax sums to one and keeps order")
    func softmaxSumsToOne() {
        var x: [Float] = [1, 3, 2, -100, 50]
        x.withUnsafeMutableBufferPointer { softmaxInPlace($0.baseAddress!, count: $0.count) }
        #expect(abs(x.reduce(0, +) - 1) < 1e-6)
        #expect(x[4] > x[1] && x[1] > x[2] && x[2] > x[0])
    }

    @Test("parallelFor visits every index exactly once")
    func parallelForCoversRange() {
        var hits = [Int](repeating: 0, count: 1000)
        hits.withUnsafeMutableBufferPointer { h in
            let base = h.baseAddress!
            parallelFor(1000) { range in for i in range { base[i] += 1 } }
        }
        #expect(hits.allSatisfy { $0 == 1 })
    }
}
