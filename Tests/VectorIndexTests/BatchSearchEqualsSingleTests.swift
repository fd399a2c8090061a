import Testing
@testable import VectorIndex

/// The batched path picks candidates with `‖x‖² − 2q·x + ‖q‖²` from one sgemm and confirms them
/// with the exact kernel; these cases check that it never loses a true neighbour, even where the
/// norm form cancels badly (vectors far from the origin and close to each other).
@Suite("Batch search equals single search") struct BatchSearchEqualsSingleTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let n: Int, d: Int, k: Int, offset: Float, spread: Float
        var testDescription: String { "n=\(n) d=\(d) k=\(k) values \(offset) ± \(spread)" }
    }

    static let cases: [Case] = [
        Case(n: 9000, d: 33, k: 10, offset: 0, spread: 1),      // several row blocks
        Case(n: 9000, d: 33, k: 1, offset: 0, spread: 1),
        Case(n: 300, d: 16, k: 400, offset: 0, spread: 1),      // k > n
        Case(n: 5000, d: 64, k: 10, offset: 1, spread: 0.1),    // cancellation, some candidates
        Case(n: 5000, d: 64, k: 10, offset: 100, spread: 0.01), // cancellation worse than the gaps
    ]

    @Test("70 queries at once give what each gives alone, bit for bit", arguments: cases)
    func batchEqualsSingle(_ c: Case) throws {
        var (ids, values) = randomVectors(n: c.n, d: c.d, seed: UInt64(c.n + c.d))
        values = values.map { c.offset + c.spread * $0 }
        let index = try FlatL2Index(ids: ids, values: values, dimension: c.d)
        // 70 queries: more than one tile of 64; some are stored vectors (distance 0).
        let queries = (0 ..< 70).map { i in
            i % 10 == 0 ? Array(values[i * c.d ..< (i + 1) * c.d])
                        : randomQuery(d: c.d, seed: UInt64(500 + i)).map { c.offset + c.spread * $0 }
        }
        let batch = try index.search(queries: queries, k: c.k)
        #expect(batch.count == queries.count)
        for (i, query) in queries.enumerated() {
            let single = try index.search(query, k: c.k)
            #expect(batch[i] == single, "query \(i)")
            let expected = bruteForceNearest(ids: ids, values: values, d: c.d, query: query, k: c.k)
            #expect(single.map(\.id) == expected.map(\.id), "query \(i) against brute force")
        }
    }

    @Test("a small batch and an empty batch")
    func smallBatches() throws {
        let (ids, values) = randomVectors(n: 100, d: 8, seed: 9)
        let index = try FlatL2Index(ids: ids, values: values, dimension: 8)
        let q = randomQuery(d: 8, seed: 1)
        #expect(try index.search(queries: [], k: 5).isEmpty)
        #expect(try index.search(queries: [q], k: 5) == [try index.search(q, k: 5)])
        #expect(try index.search(queries: [q, q], k: 0) == [[], []])
    }
}
