@testable import VectorIndex
import Tensors

/// splitmix64: a seeded generator, so every test sees the same "random" data on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// `n` vectors of dimension `d`, values uniform in [-1, 1), as one row-major array, with
/// unique ids in a shuffled order (negative ones too: ids are opaque Int64).
func randomVectors(n: Int, d: Int, seed: UInt64) -> (ids: [Int64], values: [Float]) {
    var rng = SplitMix64(seed: seed)
    let values = (0 ..< n * d).map { _ in Float.random(in: -1 ..< 1, using: &rng) }
    let ids = (0 ..< Int64(n)).map { $0 * 7 - 1000 }.shuffled(using: &rng)
    return (ids, values)
}

/// One vector of `d` values uniform in [-1, 1).
func randomQuery(d: Int, seed: UInt64) -> [Float] {
    var rng = SplitMix64(seed: seed)
    return (0 ..< d).map { _ in Float.random(in: -1 ..< 1, using: &rng) }
}

/// The reference: every row's distance by the scalar left-to-right sum, sorted by
/// (distance, id), the first k.
func bruteForceNearest(ids: [Int64], values: [Float], d: Int, query: [Float], k: Int) -> [Neighbor] {
    let all = values.withUnsafeBufferPointer { v in
        query.withUnsafeBufferPointer { q in
            ids.indices.map { r in
                Neighbor(id: ids[r], squaredDistance: squaredL2Scalar(q.baseAddress!, v.baseAddress! + r * d, count: d))
            }
        }
    }
    return Array(all.sorted().prefix(k))
}

/// Ids equal in order, distances within rounding of the reference (the SIMD kernel sums in a
/// different order than the scalar loop).
func sameNeighbors(_ found: [Neighbor], _ expected: [Neighbor]) -> Bool {
    guard found.map(\.id) == expected.map(\.id) else { return false }
    return zip(found, expected).allSatisfy {
        abs($0.squaredDistance - $1.squaredDistance) <= 1e-5 * max(1, $1.squaredDistance)
    }
}
