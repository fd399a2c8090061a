import Foundation
import Testing
@testable import Tensors

@Suite("GELU, exp and softmax match their scalar twins") struct GELUMatchesScalarTests {
    /// −10…10 in steps of 1/1024 plus some extremes: every region of erf.
    static let inputs: [Float] = (-10_240...10_240).map { Float($0) / 1024 } + [-80, -30, 30, 80, 0, -0.0]

    @Test("vectorised GELU is within 3e-7·max(1,|x|) of x/2·(1+erff(x/√2))")
    func geluMatchesErff() {
        var values = Self.inputs
        values.withUnsafeMutableBufferPointer { geluInPlace($0.baseAddress!, count: $0.count) }
        var worst: Float = 0
        for (x, y) in zip(Self.inputs, values) {
            let error = abs(y - geluScalar(x)) / max(1, abs(x))
            worst = max(worst, error)
        }
        print("GELU max scaled error vs erff: \(worst)")
        #expect(worst < 3e-7)
    }

    @Test("a tail shorter than 16 is handled like the rest")
    func tail() {
        var values: [Float] = [-3, -1, -0.5, 0, 0.5, 1, 3]
        values.withUnsafeMutableBufferPointer { geluInPlace($0.baseAddress!, count: $0.count) }
        for (x, y) in zip([-3, -1, -0.5, 0, 0.5, 1, 3] as [Float], values) { #expect(abs(y - geluScalar(x)) < 1e-6) }
    }

    @Test("exponential is within 2.5e-7 relative of expf on −87…88")
    func expMatchesExpf() {
        var worst: Float = 0
        for k in stride(from: -87_000, through: 88_000, by: 16) {
            let x = SIMD16<Float>((0..<16).map { Float(k + $0) / 1000 })
            let y = SIMD16<Float>((0..<16).map { exponential(x[$0]) })
            for lane in 0..<16 { worst = max(worst, abs(y[lane] - expf(x[lane])) / expf(x[lane])) }
        }
        print("exp max relative error vs expf: \(worst)")
        #expect(worst < 2.5e-7)
    }

    @Test("vectorised softmax equals the scalar softmax", arguments: [1, 7, 16, 33, 250, 256])
    func softmaxMatches(count: Int) {
        let input = (0..<count).map { Float(($0 * 7919) % 97) / 9 - 5 }
        var fast = input, slow = input
        fast.withUnsafeMutableBufferPointer { softmaxInPlaceVectorized($0.baseAddress!, count: count) }
        slow.withUnsafeMutableBufferPointer { softmaxInPlace($0.baseAddress!, count: count) }
        for (a, b) in zip(fast, slow) { #expect(abs(a - b) <= 1e-6 * max(b, 1e-3)) }
        #expect(abs(fast.reduce(0, +) - 1) < 1e-5)
    }
}
