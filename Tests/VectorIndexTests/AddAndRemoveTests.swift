import Testing
@testable import VectorIndex

@Suite("Add and remove") struct AddAndRemoveTests {
    @Test("after adds and removes, search equals brute force over what remains")
    func addRemoveThenSearch() throws {
        let d = 24
        let (ids, values) = randomVectors(n: 3000, d: d, seed: 21)
        var index = try FlatL2Index(ids: Array(ids[0 ..< 1000]), values: Array(values[0 ..< 1000 * d]), dimension: d)
        try index.add(ids: Array(ids[1000...]), values: Array(values[(1000 * d)...]))
        #expect(index.count == 3000)
        // Remove every third id, including the last row and the first.
        let removed = Set(ids.enumerated().filter { $0.offset % 3 == 0 }.map(\.element))
        let removedCount = index.remove(ids: removed)
        #expect(removedCount == removed.count)
        #expect(index.count == 3000 - removed.count)
        let removedAgain = index.remove(id: ids[0])
        #expect(!removedAgain, "a removed id is gone")
        #expect(!index.contains(id: ids[3]) && index.contains(id: ids[4]))
        #expect(index.vector(id: ids[4]) == Array(values[4 * d ..< 5 * d]))
        #expect(Set(index.ids) == Set(ids).subtracting(removed))

        let keep = ids.indices.filter { !removed.contains(ids[$0]) }
        let keptIDs = keep.map { ids[$0] }
        let keptValues = keep.flatMap { values[$0 * d ..< ($0 + 1) * d] }
        for seed in 0 ..< 4 as Range<UInt64> {
            let query = randomQuery(d: d, seed: 300 + seed)
            let expected = bruteForceNearest(ids: keptIDs, values: keptValues, d: d, query: query, k: 15)
            #expect(sameNeighbors(try index.search(query, k: 15), expected))
        }
    }

    @Test("a removed id can be added again with a new vector")
    func reAddAfterRemove() throws {
        var index = try FlatL2Index(ids: [1, 2, 3], values: [0, 0, 1, 1, 5, 5], dimension: 2)
        let removed = index.remove(id: 2)
        #expect(removed)
        try index.add(id: 2, vector: [9, 9])
        #expect(try index.search([9, 9], k: 1) == [Neighbor(id: 2, squaredDistance: 0)])
        #expect(try index.search([0, 0], k: 3).map(\.id) == [1, 3, 2])
    }

    @Test("removing the only vector leaves an empty index that still searches")
    func removeAll() throws {
        var index = try FlatL2Index(ids: [7], values: [1, 2], dimension: 2)
        let removed = index.remove(id: 7)
        #expect(removed)
        #expect(index.count == 0)
        #expect(try index.search([1, 2], k: 3).isEmpty)
    }

    @Test("a copy keeps its vectors when the original changes (copy on write)")
    func copyOnWrite() throws {
        var index = try FlatL2Index(ids: [1, 2], values: [0, 0, 3, 4], dimension: 2)
        let copy = index
        index.remove(id: 1)
        try index.add(id: 3, vector: [0, 0.5])
        #expect(try copy.search([0, 0], k: 5).map(\.id) == [1, 2])
        #expect(try index.search([0, 0], k: 5).map(\.id) == [3, 2])
    }

    @Test("many single adds grow the buffer and keep every row")
    func growth() throws {
        var index = try FlatL2Index(dimension: 5)
        for i in 0 ..< 1000 { try index.add(id: Int64(i), vector: [Float](repeating: Float(i), count: 5)) }
        #expect(index.count == 1000)
        #expect(try index.search([Float](repeating: 500.2, count: 5), k: 3).map(\.id) == [500, 501, 499])
        #expect(index.vector(id: 999) == [Float](repeating: 999, count: 5))
    }
}
