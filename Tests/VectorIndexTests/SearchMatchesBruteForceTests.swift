import Testing
@testable import VectorIndex

@Suite("Search matches brute force") struct SearchMatchesBruteForceTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let n: Int, d: Int, k: Int
        var testDescription: String { "n=\(n) d=\(d) k=\(k)" }
    }

    static let cases: [Case] = [
        Case(n: 0, d: 4, k: 3),        // empty index
        Case(n: 1, d: 1, k: 1),
        Case(n: 10, d: 3, k: 0),       // k = 0: nothing
        Case(n: 10, d: 3, k: 25),      // k > n: everything, sorted
        Case(n: 257, d: 17, k: 5),     // the kernel's scalar tail
        Case(n: 1000, d: 64, k: 10),
        Case(n: 2000, d: 384, k: 10),  // the encoder's dimension
        Case(n: 3001, d: 100, k: 50),
        Case(n: 20000, d: 8, k: 7),    // more rows than one thread's share
    ]

    @Test("top-k ids equal the scalar brute force, distances within rounding", arguments: cases)
    func matchesBruteForce(_ c: Case) throws {
        let (ids, values) = randomVectors(n: c.n, d: c.d, seed: UInt64(c.n * 1000 + c.d))
        let index = try FlatL2Index(ids: ids, values: values, dimension: c.d)
        let queries = (0 ..< 5).map { randomQuery(d: c.d, seed: 77 + UInt64($0)) }
        let batch = try index.search(queries: queries, k: c.k)
        for (i, query) in queries.enumerated() {
            let found = try index.search(query, k: c.k)
            let expected = bruteForceNearest(ids: ids, values: values, d: c.d, query: query, k: c.k)
            #expect(found.count == min(c.k, c.n))
            #expect(sameNeighbors(found, expected), "query \(i): \(found.prefix(3)) vs \(expected.prefix(3))")
            #expect(batch[i] == found, "query \(i): batch differs from single")
        }
    }

    @Test("a stored vector is its own nearest neighbour at distance exactly 0")
    func storedVectorIsNearest() throws {
        let (ids, values) = randomVectors(n: 500, d: 384, seed: 3)
        let index = try FlatL2Index(ids: ids, values: values, dimension: 384)
        for r in [0, 123, 499] {
            let found = try index.search(Array(values[r * 384 ..< (r + 1) * 384]), k: 2)
            #expect(found[0] == Neighbor(id: ids[r], squaredDistance: 0))
            #expect(found[1].squaredDistance > 0)
        }
    }

    @Test("duplicate vectors tie by the smaller id, also when k cuts through the tie")
    func duplicatesTieByID() throws {
        let d = 40
        let base = randomQuery(d: d, seed: 5)
        let other = randomQuery(d: d, seed: 6)
        // Ids 50, 40, 30, 20, 10 hold one vector, added largest id first; 60 and 5 hold another.
        var index = try FlatL2Index(dimension: d)
        for id in [50, 40, 30, 20, 10] as [Int64] { try index.add(id: id, vector: base) }
        try index.add(id: 60, vector: other)
        try index.add(id: 5, vector: other)
        let query = base.map { $0 + 0.01 }
        #expect(try index.search(query, k: 3).map(\.id) == [10, 20, 30])
        #expect(try index.search(query, k: 7).map(\.id) == [10, 20, 30, 40, 50, 5, 60])
        #expect(Set(try index.search(query, k: 5).map(\.squaredDistance)).count == 1)
        let batch = try index.search(queries: [query, query, query, query], k: 3)
        #expect(batch.allSatisfy { $0.map(\.id) == [10, 20, 30] })
    }

    @Test("cosine similarity is 1 − d²/2 for normalised vectors")
    func cosineOfNormalised() throws {
        let a: [Float] = [1, 0, 0], b: [Float] = [0.6, 0.8, 0]
        let index = try FlatL2Index(ids: [1, 2], values: a + b, dimension: 3)
        let found = try index.search(a, k: 2)
        #expect(found[0].cosineSimilarity == 1)
        #expect(abs(found[1].cosineSimilarity - 0.6) < 1e-6)   // a·b = 0.6
    }
}
