import Synchronization
import Tensors

extension FlatL2Index {
    /// Fewer rows than this per thread and the thread start-up costs more than it saves
    /// (8192 rows of 384 floats are 12 MB, about 0.3 ms of reading).
    static let minimumRowsPerThread = 8192
    /// Rows claimed at a time by a scanning thread (6 MB at dimension 384).
    static let chunkRows = 4096

    /// The `k` stored vectors nearest to `query` by squared L2 distance, nearest first, ties by
    /// the smaller id. Fewer than `k` when the index holds fewer; empty when `k` is 0.
    ///
    /// One streaming pass over the [count, dimension] buffer by ``Threads/count`` threads. Each
    /// thread claims chunks of rows in turn (so a thread that the OS pauses on a shared machine
    /// does not hold up the others) and keeps its own ``TopK``; the partial selections are merged
    /// into the unique answer (see ``Neighbor/<``). Which thread read which chunk changes nothing:
    /// each row's distance is computed by the same kernel wherever it runs, and the k smallest
    /// under a total order do not depend on grouping. So results are identical on any thread count.
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
        let threads = min(Threads.count, max(1, count / Self.minimumRowsPerThread))
        return try search(query, k: k, threads: threads, chunkRows: Self.chunkRows)
    }

    /// ``search(_:k:)`` on exactly `threads` threads claiming `chunkRows` rows at a time.
    /// Tests use it to check that the answer does not depend on the split.
    func search(_ query: [Float], k: Int, threads requestedThreads: Int, chunkRows: Int) throws -> [Neighbor] {
        guard k >= 0 else { throw VectorIndexError.negativeK(k) }
        _ = try query.withUnsafeBufferPointer { try checkedQuery($0, subject: "query") }
        let n = count
        guard k > 0, n > 0 else { return [] }
        let chunks = (n + chunkRows - 1) / chunkRows
        let threads = max(1, min(requestedThreads, chunks))
        var partial = [TopK](repeating: TopK(k: k), count: threads)
        let nextChunk = Atomic<Int>(0)
        query.withUnsafeBufferPointer { q in
            partial.withUnsafeMutableBufferPointer { out in
                parallelFor(threads) { workers in
                    for worker in workers {
                        var top = TopK(k: k)
                        while true {
                            let chunk = nextChunk.wrappingAdd(1, ordering: .relaxed).oldValue
                            guard chunk < chunks else { break }
                            scan(q.baseAddress!, rows: chunk * chunkRows ..< min(n, (chunk + 1) * chunkRows), into: &top)
                        }
                        out[worker] = top
                    }
                }
            }
        }
        var merged = partial[0]
        for t in 1..<threads { merged.insert(contentsOf: partial[t]) }
        return merged.sorted()
    }

    /// Rows whose distances are computed before they are compared: 256 floats stay in L1.
    static let scanBlockRows = 256

    /// The `k` nearest among `rows`: the hot loop. Distances for a block of rows come from one
    /// kernel call (``squaredL2(_:rows:rowCount:dimension:into:)``); then each is compared with
    /// the current k-th (`threshold`) and only the rare row that beats it updates the heap.
    func scan(_ query: UnsafePointer<Float>, rows: Range<Int>, into top: inout TopK) {
        var threshold = top.threshold
        let d = dimension
        let storage = self.storage
        withUnsafeTemporaryAllocation(of: Float.self, capacity: Self.scanBlockRows) { distances in
            let distances = distances.baseAddress!
            storage.ids.withUnsafeBufferPointer { ids in
                for start in stride(from: rows.lowerBound, to: rows.upperBound, by: Self.scanBlockRows) {
                    let b = min(Self.scanBlockRows, rows.upperBound - start)
                    squaredL2(query, rows: storage.row(start), rowCount: b, dimension: d, into: distances)
                    for j in 0..<b where distances[j] <= threshold {
                        top.insert(Neighbor(id: ids[start + j], squaredDistance: distances[j]))
                        threshold = top.threshold
                    }
                }
            }
        }
    }
}
