import Testing
@testable import VectorIndex

@Suite("TopK keeps the smallest") struct TopKKeepsSmallestTests {
    @Test("the kept set is the k smallest by (distance, id), whatever the insertion order", arguments: [0, 1, 5, 40, 200])
    func orderIndependent(k: Int) {
        var rng = SplitMix64(seed: UInt64(k))
        // Few distinct distances, so many ties to break by id.
        let candidates = (0 ..< 150).map { Neighbor(id: Int64($0), squaredDistance: Float(Int.random(in: 0 ..< 12, using: &rng))) }
        let expected = Array(candidates.sorted().prefix(k))
        for _ in 0 ..< 5 {
            var top = TopK(k: k)
            for c in candidates.shuffled(using: &rng) { top.insert(c) }
            #expect(top.sorted() == expected)
            #expect(top.count == min(k, candidates.count))
        }
    }

    @Test("merging two halves equals selecting from the whole")
    func mergeEqualsWhole() {
        var rng = SplitMix64(seed: 99)
        let candidates = (0 ..< 300).map { Neighbor(id: Int64($0 * 3 % 301), squaredDistance: Float(Int.random(in: 0 ..< 20, using: &rng))) }
        var left = TopK(k: 25), right = TopK(k: 25), whole = TopK(k: 25)
        for (i, c) in candidates.enumerated() {
            if i % 2 == 0 { left.insert(c) } else { right.insert(c) }
            whole.insert(c)
        }
        left.insert(contentsOf: right)
        #expect(left.sorted() == whole.sorted())
    }

    @Test("the threshold is +infinity until k are kept, then the worst kept distance")
    func threshold() {
        var top = TopK(k: 2)
        #expect(top.threshold == .infinity)
        top.insert(Neighbor(id: 1, squaredDistance: 3))
        #expect(top.threshold == .infinity)
        top.insert(Neighbor(id: 2, squaredDistance: 1))
        #expect(top.threshold == 3)
        top.insert(Neighbor(id: 3, squaredDistance: 2))
        #expect(top.threshold == 2)
        #expect(TopK(k: 0).threshold == -.infinity)
    }
}
