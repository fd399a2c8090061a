import Testing
@testable import VectorIndex

@Suite("Refused input") struct RefusedInputTests {
    let index: FlatL2Index

    init() throws {
        let (ids, values) = randomVectors(n: 50, d: 384, seed: 31)
        index = try FlatL2Index(ids: ids, values: values, dimension: 384)
    }

    @Test("a query of the wrong dimension names expected and found")
    func dimensionMismatch() throws {
        let error = #expect(throws: VectorIndexError.self) { try index.search([Float](repeating: 0, count: 383), k: 3) }
        #expect(error?.description == "vector index: query has 383 values, expected 384 (the index dimension)")
        let batchError = #expect(throws: VectorIndexError.self) {
            try index.search(queries: [[Float](repeating: 0, count: 384), [Float](repeating: 0, count: 768)], k: 3)
        }
        #expect(batchError?.description == "vector index: query 1 has 768 values, expected 384 (the index dimension)")
    }

    @Test("NaN or infinity in a query is refused, naming the position")
    func nonFiniteQuery() throws {
        var query = randomQuery(d: 384, seed: 1)
        query[17] = .nan
        let error = #expect(throws: VectorIndexError.self) { try index.search(query, k: 3) }
        guard case .nonFiniteValue(let subject, let position, let value)? = error else {
            Issue.record("expected nonFiniteValue, got \(String(describing: error))"); return
        }
        #expect(subject == "query" && position == 17 && value.isNaN)
        query[17] = 0
        query[200] = -.infinity
        let batchError = #expect(throws: VectorIndexError.self) { try index.search(queries: [randomQuery(d: 384, seed: 2), query], k: 3) }
        #expect(batchError?.description == "vector index: query 1 holds -inf at position 200, expected a finite number")
        // Finite values whose squares overflow float32 would give infinite distances too.
        let huge = [Float](repeating: 3e19, count: 384)
        let overflow = #expect(throws: VectorIndexError.self) { try index.search(huge, k: 3) }
        guard case .squaredNormOverflow? = overflow else { Issue.record("got \(String(describing: overflow))"); return }
    }

    @Test("negative k is refused; k = 0 gives nothing")
    func negativeK() throws {
        let query = randomQuery(d: 384, seed: 3)
        #expect(throws: VectorIndexError.self) { try index.search(query, k: -1) }
        #expect(throws: VectorIndexError.self) { try index.search(queries: [query], k: -1) }
        #expect(try index.search(query, k: 0).isEmpty)
    }

    @Test("a bad add changes nothing: count mismatch, duplicate id, NaN, wrong dimension")
    func badAddChangesNothing() throws {
        var index = try FlatL2Index(ids: [1, 2], values: [0, 0, 1, 1], dimension: 2)
        let mismatch = #expect(throws: VectorIndexError.self) { try index.add(ids: [3, 4], values: [1, 2, 3]) }
        #expect(mismatch?.description == "vector index: 2 ids × dimension 2 needs 4 values, found 3")
        let duplicate = #expect(throws: VectorIndexError.self) { try index.add(ids: [3, 2], values: [5, 5, 6, 6]) }
        #expect(duplicate?.description == "vector index: id 2 is already in the index (ids must be unique)")
        #expect(throws: VectorIndexError.self) { try index.add(ids: [8, 8], values: [5, 5, 6, 6]) }
        let nan = #expect(throws: VectorIndexError.self) { try index.add(ids: [3, 4], values: [5, 5, 6, .nan]) }
        #expect(nan?.description == "vector index: vector with id 4 holds nan at position 1, expected a finite number")
        let wrong = #expect(throws: VectorIndexError.self) { try index.add(id: 9, vector: [1, 2, 3]) }
        #expect(wrong?.description == "vector index: vector with id 9 has 3 values, expected 2 (the index dimension)")
        #expect(index.count == 2 && Set(index.ids) == [1, 2])
        #expect(try index.search([5, 5], k: 10).map(\.id) == [2, 1])
    }

    @Test("dimension 0 is refused")
    func zeroDimension() {
        let error = #expect(throws: VectorIndexError.self) { try FlatL2Index(dimension: 0) }
        #expect(error?.description == "vector index: dimension must be at least 1, found 0")
    }
}
