import Testing
@testable import Tensors

@Suite("Distance kernels match their scalar twins") struct DistancesMatchScalarTests {
    /// Lengths around every loop boundary of the kernels (64-wide body, 16-wide body, scalar tail).
    static let counts = [0, 1, 7, 15, 16, 17, 31, 63, 64, 65, 100, 127, 128, 383, 384, 385, 1000]

    /// `n` values in [-2, 2) from a fixed linear congruential sequence, at offset `skew` floats
    /// into the returned array (so loads are misaligned by `skew`).
    static func values(_ n: Int, seed: UInt32, skew: Int = 0) -> [Float] {
        var s = seed
        return [Float](repeating: 9, count: skew) + (0 ..< n).map { _ in
            s = s &* 1_664_525 &+ 1_013_904_223
            return Float(s >> 8) / Float(1 << 24) * 4 - 2
        }
    }

    @Test("squaredL2 equals the scalar sum within rounding", arguments: counts)
    func squaredL2MatchesScalar(count: Int) {
        let a = Self.values(count, seed: 1), b = Self.values(count, seed: 2)
        let simd = squaredL2(a, b, count: count)
        let scalar = squaredL2Scalar(a, b, count: count)
        // Every term is ≥ 0, so the error of either order is at most count·u·sum.
        #expect(abs(simd - scalar) <= Float(count + 1) * 1.2e-7 * scalar, "\(simd) vs \(scalar)")
        #expect(count == 0 || simd > 0)
    }

    @Test("dot equals the scalar sum within rounding", arguments: counts)
    func dotMatchesScalar(count: Int) {
        let a = Self.values(count, seed: 3), b = Self.values(count, seed: 4)
        let simd = dot(a, b, count: count)
        let scalar = dotScalar(a, b, count: count)
        var magnitude: Float = 0   // Σ |a[i] b[i]|: the scale of the rounding error
        for i in 0 ..< count { magnitude += abs(a[i] * b[i]) }
        #expect(abs(simd - scalar) <= Float(count + 1) * 1.2e-7 * magnitude, "\(simd) vs \(scalar)")
    }

    @Test("a vector is at squared distance exactly 0 from itself; squaredL2 is symmetric", arguments: counts)
    func identityAndSymmetry(count: Int) {
        let a = Self.values(count, seed: 5), b = Self.values(count, seed: 6)
        #expect(squaredL2(a, a, count: count) == 0)
        #expect(squaredL2(a, b, count: count) == squaredL2(b, a, count: count))
    }

    @Test("the result does not depend on alignment: same bits at every offset", arguments: [383, 384, 1000])
    func alignmentIndependent(count: Int) {
        let a = Self.values(count, seed: 7), b = Self.values(count, seed: 8)
        let distance = squaredL2(a, b, count: count), product = dot(a, b, count: count)
        for skew in 1 ..< 8 {
            let sa = Self.values(count, seed: 7, skew: skew), sb = Self.values(count, seed: 8, skew: skew + 3)
            sa.withUnsafeBufferPointer { pa in
                sb.withUnsafeBufferPointer { pb in
                    #expect(squaredL2(pa.baseAddress! + skew, pb.baseAddress! + skew + 3, count: count) == distance)
                    #expect(dot(pa.baseAddress! + skew, pb.baseAddress! + skew + 3, count: count) == product)
                }
            }
        }
    }

    @Test("known values: squaredL2 is the squared distance, not the distance")
    func knownValues() {
        let a: [Float] = [0, 0, 0], b: [Float] = [3, 4, 0]
        #expect(squaredL2(a, b, count: 3) == 25)
        #expect(dot(b, b, count: 3) == 25)
        #expect(squaredL2Scalar(a, b, count: 3) == 25 && dotScalar(b, b, count: 3) == 25)
    }
}

@Suite("Block distance kernel") struct BlockDistanceKernelTests {
    @Test("squaredL2 over a block of rows equals the row kernel bit for bit and the scalar twin within rounding",
          arguments: [1, 17, 384])
    func blockMatchesRows(dimension: Int) {
        let rowCount = 37
        let rows = DistancesMatchScalarTests.values(rowCount * dimension, seed: 11)
        let query = DistancesMatchScalarTests.values(dimension, seed: 12)
        var block = [Float](repeating: -1, count: rowCount)
        var scalar = [Float](repeating: -1, count: rowCount)
        squaredL2(query, rows: rows, rowCount: rowCount, dimension: dimension, into: &block)
        squaredL2Scalar(query, rows: rows, rowCount: rowCount, dimension: dimension, into: &scalar)
        rows.withUnsafeBufferPointer { r in
            for i in 0 ..< rowCount {
                #expect(block[i] == squaredL2(query, r.baseAddress! + i * dimension, count: dimension))
                #expect(abs(block[i] - scalar[i]) <= Float(dimension + 1) * 1.2e-7 * scalar[i])
            }
        }
    }
}
