import Testing
import Tensors
import TroveTestSupport
@testable import VectorIndex

@Suite("Thread count does not change results", .serialized) struct ThreadCountDoesNotChangeResultsTests {
    @Test("1, 2, 3 or 7 threads claiming chunks of 1, 100 or 4096 rows give the same neighbours, bit for bit")
    func splitIndependent() throws {
        let d = 48
        var (ids, values) = randomVectors(n: 5000, d: d, seed: 11)
        // Copies of row 0 on both sides of the split points, so ties must be merged by id.
        for r in [10, 2600, 4990] { values.replaceSubrange(r * d ..< (r + 1) * d, with: values[0 ..< d]) }
        ids.swapAt(0, 4990)
        let index = try FlatL2Index(ids: ids, values: values, dimension: d)
        for seed in 0 ..< 4 as Range<UInt64> {
            let query = seed == 0 ? Array(values[0 ..< d]) : randomQuery(d: d, seed: seed)
            let one = try index.search(query, k: 12, threads: 1, chunkRows: 4096)
            #expect(one.count == 12)
            for threads in [1, 2, 3, 7] {
                for chunkRows in [1, 100, 4096] {
                    let found = try index.search(query, k: 12, threads: threads, chunkRows: chunkRows)
                    #expect(found == one, "\(threads) threads, chunks of \(chunkRows)")
                }
            }
        }
    }

    @Test("Threads.configure(1) and (2) give identical single and batch results")
    func oneAndTwoThreads() throws {
        let d = 384
        let (ids, values) = randomVectors(n: 40000, d: d, seed: 12)   // enough rows to split
        let index = try FlatL2Index(ids: ids, values: values, dimension: d)
        let queries = (0 ..< 6).map { randomQuery(d: d, seed: 100 + UInt64($0)) }
        ProcessWideSettings.acquire()
        let before = Threads.count
        defer { Threads.configure(count: before); ProcessWideSettings.release() }
        Threads.configure(count: 1)
        let single1 = try queries.map { try index.search($0, k: 10) }
        let batch1 = try index.search(queries: queries, k: 10)
        Threads.configure(count: 2)
        let single2 = try queries.map { try index.search($0, k: 10) }
        let batch2 = try index.search(queries: queries, k: 10)
        #expect(single1 == single2)
        #expect(batch1 == batch2)
        #expect(batch1 == single1)
    }
}
