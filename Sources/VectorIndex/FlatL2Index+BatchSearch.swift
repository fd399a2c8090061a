import Tensors

extension FlatL2Index {
    /// Below this many queries a batch is answered query by query (the streaming scan).
    static let minimumBatchForMatrixProduct = 4
    /// Queries multiplied at once, and index rows per block: the product tile is
    /// [queryTile, blockRows] floats (1 MB), small enough to stay in L2 while it is filtered.
    static let queryTile = 64
    static let blockRows = 4096

    /// The `k` nearest neighbours of each query (same answer, same order, as
    /// ``search(_:k:)`` on each query alone, bit for bit), for many queries at a time.
    ///
    /// Throughput path: for a tile of queries Q [m, d] and a block of rows X [b, d], one sgemm
    /// gives every dot product Q·Xᵀ [m, b] at matrix-multiply speed (the index is read once per
    /// tile of m queries instead of once per query), and each row's approximate distance is
    /// `a = ‖x‖² − 2 q·x + ‖q‖²`. That form can cancel badly, so it only picks candidates: the
    /// exact `Σ (q[i] − x[i])²` is then computed for every row with `a ≤ threshold + slack`, where
    /// threshold is the query's current k-th exact distance and slack bounds |a − exact|
    /// (see ``approximationSlack(querySquaredNorm:)``). A row of the true top k always passes
    /// (a ≤ exact + slack ≤ k-th + slack), so the result is the exact one; the exact distance is
    /// computed for only a few rows per block once the first k are in.
    ///
    /// Throws ``VectorIndexError`` naming the first bad query ("query 3") or a negative `k`.
    public func search(queries: [[Float]], k: Int) throws -> [[Neighbor]] {
        guard k >= 0 else { throw VectorIndexError.negativeK(k) }
        var querySquaredNorms = [Float](repeating: 0, count: queries.count)
        for (i, query) in queries.enumerated() {
            querySquaredNorms[i] = try query.withUnsafeBufferPointer { try checkedQuery($0, subject: "query \(i)") }
        }
        guard k > 0, count > 0 else { return queries.map { _ in [] } }
        if queries.count < Self.minimumBatchForMatrixProduct {
            return try queries.map { try search($0, k: k) }
        }
        var packed = [Float](repeating: 0, count: queries.count * dimension)   // [m, d]
        for (i, query) in queries.enumerated() {
            packed.replaceSubrange(i * dimension ..< (i + 1) * dimension, with: query)
        }
        var tops = [TopK](repeating: TopK(k: k), count: queries.count)
        packed.withUnsafeBufferPointer { q in
            tops.withUnsafeMutableBufferPointer { tops in
                for first in stride(from: 0, to: queries.count, by: Self.queryTile) {
                    let tile = first ..< min(first + Self.queryTile, queries.count)
                    searchTile(q.baseAddress!, tile: tile, querySquaredNorms: querySquaredNorms, into: tops.baseAddress!)
                }
            }
        }
        return tops.map { $0.sorted() }
    }

    /// Bound on |(‖x‖² − 2q·x + ‖q‖²) − squaredL2(q, x)| over every stored x, doubled for the
    /// rounding of the comparison itself.
    ///
    /// With u = 2⁻²⁴ and d floats, any float32 sum of d products is within d·u·(1 + O(du)) of the
    /// true value times the sum of |products| (Higham, Accuracy and Stability, §3.1), whatever the
    /// order or blocking (so it holds for OpenBLAS). Hence ‖x‖², ‖q‖² and q·x are each off by at
    /// most ≈ d·u·‖x‖², d·u·‖q‖², d·u·‖q‖‖x‖, the two final additions by 2u·(‖q‖ + ‖x‖)², and the
    /// direct sum by (d + 2)·u·‖q − x‖² ≤ (d + 2)·u·(‖q‖ + ‖x‖)². In all
    /// |a − exact| ≤ (2d + 5)·u·(‖q‖ + ‖x‖)²·(1 + O(du)) ≤ 2(d + 4)·u·(‖q‖ + max‖x‖)².
    func approximationSlack(querySquaredNorm: Float) -> Float {
        let u = Float.ulpOfOne / 2
        let reach = querySquaredNorm.squareRoot() + storage.maxSquaredNorm.squareRoot()
        return 2 * (2 * Float(dimension + 4) * u) * reach * reach
    }

    /// Runs one tile of queries over the whole index, block of rows by block of rows.
    private func searchTile(_ queries: UnsafePointer<Float>, tile: Range<Int>,
                            querySquaredNorms: [Float], into tops: UnsafeMutablePointer<TopK>) {
        let d = dimension, m = tile.count
        let firstQuery = queries + tile.lowerBound * d
        var products = [Float](repeating: 0, count: m * Self.blockRows)
        products.withUnsafeMutableBufferPointer { products in
            let dots = products.baseAddress!
            for blockStart in stride(from: 0, to: count, by: Self.blockRows) {
                let block = blockStart ..< min(blockStart + Self.blockRows, count)
                // dots[i, j] = q_i · x_(blockStart + j): [m, block.count] (OpenBLAS threads inside)
                sgemm(rows: m, columns: block.count, inner: d,
                      a: firstQuery, lda: d, transposeA: false,
                      b: storage.row(blockStart), ldb: d, transposeB: true,
                      c: dots, ldc: block.count)
                // Each query's candidates are confirmed by one thread: no shared state.
                parallelFor(m, minimumPerThread: 8) { range in
                    for i in range {
                        let q = tile.lowerBound + i
                        confirmCandidates(query: firstQuery + i * d, querySquaredNorm: querySquaredNorms[q],
                                          dots: dots + i * block.count, rows: block, top: &tops[q])
                    }
                }
            }
        }
    }

    /// Offers to `top` the rows of `rows` that can still be among the k nearest, with their exact
    /// distance. `dots[j]` is `q · x` for row `rows.lowerBound + j`.
    private func confirmCandidates(query: UnsafePointer<Float>, querySquaredNorm: Float,
                                   dots: UnsafePointer<Float>, rows: Range<Int>, top: inout TopK) {
        let slack = approximationSlack(querySquaredNorm: querySquaredNorm)
        let d = dimension
        var threshold = top.threshold
        storage.ids.withUnsafeBufferPointer { ids in
            storage.squaredNorms.withUnsafeBufferPointer { rowSquaredNorms in
                for r in rows {
                    let approximate = rowSquaredNorms[r] - 2 * dots[r - rows.lowerBound] + querySquaredNorm
                    guard approximate <= threshold + slack else { continue }
                    let exact = squaredL2(query, storage.row(r), count: d)
                    if exact <= threshold {
                        top.insert(Neighbor(id: ids[r], squaredDistance: exact))
                        threshold = top.threshold
                    }
                }
            }
        }
    }
}
