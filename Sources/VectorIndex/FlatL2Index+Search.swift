import Tensors

extension FlatL2Index {
    /// Fewer rows than this per thread and the thread start-up costs more than it saves
    /// (8192 rows of 384 floats are 12 MB, about 0.3 ms of reading).
    static let minimumRowsPerPart = 8192

    /// The `k` stored vectors nearest to `query` by squared L2 distance, nearest first, ties by
    /// the smaller id. Fewer than `k` when the index holds fewer; empty when `k` is 0.
    ///
    /// One streaming pass over the [count, dimension] buffer, split into contiguous row ranges
    /// over ``Threads/count`` threads, each with its own ``TopK``; the partial selections are
    /// merged into the unique answer (see ``Neighbor/<``), identical on any thread count.
    ///
    /// Distances are computed directly as `Σ (q[i] − x[i])²` (``squaredL2(_:_:count:)``), not as
    /// `‖x‖² − 2q·x + ‖q‖²` from stored norms. The read is the same 4·dimension bytes per row either
    /// way and this search is bound by memory bandwidth, so the extra subtraction is free; the
    /// direct form has no cancellation (error relative to d² itself, not to ‖x‖² + ‖q‖²), gives
    /// exactly 0 for a stored copy of the query, and so orders near neighbours as a brute-force
    /// scalar loop does.
    ///
    /// Throws ``VectorIndexError`` when the query has the wrong dimension or a NaN/infinite
    /// value, or `k` is negative.
    public func search(_ query: [Float], k: Int) throws -> [Neighbor] {
        let parts = min(Threads.count, max(1, count / Self.minimumRowsPerPart))
        return try search(query, k: k, parts: parts)
    }

    /// ``search(_:k:)`` with the rows split into exactly `parts` ranges (at most one per row).
    /// Tests use it to check that the answer does not depend on the split.
    func search(_ query: [Float], k: Int, parts requestedParts: Int) throws -> [Neighbor] {
        guard k >= 0 else { throw VectorIndexError.negativeK(k) }
        _ = try query.withUnsafeBufferPointer { try checkedQuery($0, subject: "query") }
        let n = count
        guard k > 0, n > 0 else { return [] }
        let parts = max(1, min(requestedParts, n))
        var partial = [TopK](repeating: TopK(k: k), count: parts)
        query.withUnsafeBufferPointer { q in
            partial.withUnsafeMutableBufferPointer { out in
                parallelFor(parts) { range in
                    for p in range {
                        out[p] = scan(q.baseAddress!, rows: n * p / parts ..< n * (p + 1) / parts, k: k)
                    }
                }
            }
        }
        var merged = partial[0]
        for p in 1..<parts { merged.insert(contentsOf: partial[p]) }
        return merged.sorted()
    }

    /// The `k` nearest among `rows`: the hot loop. One squared distance per row, and a heap
    /// update only for the rare row that beats the current k-th (`threshold`).
    func scan(_ query: UnsafePointer<Float>, rows: Range<Int>, k: Int) -> TopK {
        var top = TopK(k: k)
        var threshold = top.threshold
        let d = dimension
        let storage = self.storage
        storage.ids.withUnsafeBufferPointer { ids in
            var row = storage.row(rows.lowerBound)
            for r in rows {
                let distance = squaredL2(query, row, count: d)
                if distance <= threshold {
                    top.insert(Neighbor(id: ids[r], squaredDistance: distance))
                    threshold = top.threshold
                }
                row += d
            }
        }
        return top
    }
}
