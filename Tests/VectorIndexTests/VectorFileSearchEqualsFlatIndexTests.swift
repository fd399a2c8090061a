import Foundation
import Testing
import TroveTestSupport
@testable import VectorIndex

/// The vector file's scan answers exactly as ``FlatL2Index`` does on the same vectors: same ids,
/// same order, same float distances (bit for bit), on 1 and 2 threads, with the filters.
@Suite("Vector file search equals the flat index", .serialized)
struct VectorFileSearchEqualsFlatIndexTests {
    /// 20k vectors of 384 floats (ids ascending, as chunk ids are), with duplicated rows so that
    /// ties must be broken by id across windows and threads.
    static func fixture() throws -> (folder: TemporaryFolder, file: VectorFile, index: FlatL2Index, ids: [Int64], values: [Float]) {
        let d = 384, n = 20_000
        var (_, values) = randomVectors(n: n, d: d, seed: 20)
        for r in [7, 4095, 4096, 12_001, 19_999] { values.replaceSubrange(r * d ..< (r + 1) * d, with: values[0 ..< d]) }
        let ids = (0 ..< Int64(n)).map { $0 * 3 + 5 }
        let folder = try TemporaryFolder("trove-vector-file")
        let file = try #require(VectorFile.openLocked(path: folder.url.appendingPathComponent("index.sqlite-vectors").path))
        let built = try file.rebuild(dimension: d) { append in
            // In uneven batches, as SQLite streams them.
            var start = 0
            for size in [1, 999, 4096, 10_000, 4904] {
                try ids.withUnsafeBufferPointer { i in
                    try values.withUnsafeBufferPointer { v in
                        try append(UnsafeBufferPointer(rebasing: i[start ..< start + size]),
                                   UnsafeBufferPointer(rebasing: v[start * d ..< (start + size) * d]))
                    }
                }
                start += size
            }
            return VectorFileHeader(dimension: d, rowCount: 0, newestID: ids.last!, removalBase: 0, countOffset: 0,
                                    insertions: Int64(n), removals: 0, identity: "test")
        }
        built.unlock()
        return (folder, built, try FlatL2Index(ids: ids, values: values, dimension: d), ids, values)
    }

    @Test("same neighbours as FlatL2Index on 1 and 2 threads, whole windows or odd ones")
    func equalsFlatIndex() throws {
        let (folder, file, index, _, values) = try Self.fixture()
        #expect(file.header?.rowCount == 20_000)
        for seed in 0 ..< 4 as Range<UInt64> {
            let query = seed == 0 ? Array(values[0 ..< 384]) : randomQuery(d: 384, seed: 100 + seed)
            for k in [1, 10, 57] {
                let expected = try index.search(query, k: k)
                for threads in [1, 2] {
                    for window in [VectorFile.windowRecords, 777] {
                        let found = try file.search(query, k: k, threads: threads, windowRecords: window)
                        #expect(found == expected, "k \(k), \(threads) threads, windows of \(window)")
                    }
                }
            }
        }
        withExtendedLifetime(folder) {}
    }

    @Test("allowed and removed ids are skipped inside the scan: the list stays k long")
    func filters() throws {
        let (folder, file, index, ids, values) = try Self.fixture()
        var rng = SplitMix64(seed: 9)
        let allowed = Set(ids.filter { _ in Double.random(in: 0 ..< 1, using: &rng) < 0.1 })
        let removed = Set(ids.prefix(3000))
        for seed in 0 ..< 3 as Range<UInt64> {
            let query = seed == 0 ? Array(values[0 ..< 384]) : randomQuery(d: 384, seed: 200 + seed)
            let all = try index.search(query, k: index.count)
            let expectAllowed = Array(all.filter { allowed.contains($0.id) }.prefix(20))
            let expectBoth = Array(all.filter { allowed.contains($0.id) && !removed.contains($0.id) }.prefix(20))
            let expectRemoved = Array(all.filter { !removed.contains($0.id) }.prefix(20))
            for threads in [1, 2] {
                #expect(try file.search(query, k: 20, allowed: allowed, threads: threads) == expectAllowed)
                #expect(try file.search(query, k: 20, excluding: removed, allowed: allowed, threads: threads) == expectBoth)
                #expect(try file.search(query, k: 20, excluding: removed, threads: threads) == expectRemoved)
            }
            #expect(try file.search(query, k: 20, allowed: []) == [])
        }
        withExtendedLifetime(folder) {}
    }

    @Test("ExactScan over batches equals FlatL2Index, filtered or not")
    func exactScan() throws {
        let d = 64, n = 3000
        let (ids, values) = randomVectors(n: n, d: d, seed: 5)
        let index = try FlatL2Index(ids: ids, values: values, dimension: d)
        let allowed = Set(ids.enumerated().filter { $0.offset % 3 == 0 }.map(\.element))
        let query = randomQuery(d: d, seed: 6)
        for filter in [nil, allowed] {
            var scan = try ExactScan(query: query, k: 15, dimension: d, allowed: filter)
            for start in stride(from: 0, to: n, by: 512) {
                let end = min(n, start + 512)
                ids.withUnsafeBufferPointer { i in
                    values.withUnsafeBufferPointer { v in
                        scan.offer(ids: UnsafeBufferPointer(rebasing: i[start ..< end]),
                                   values: UnsafeBufferPointer(rebasing: v[start * d ..< end * d]))
                    }
                }
            }
            let all = try index.search(query, k: n)
            #expect(scan.nearest() == Array(all.filter { filter?.contains($0.id) ?? true }.prefix(15)))
        }
    }

    @Test("a bad query or k is refused as FlatL2Index refuses it")
    func refusals() throws {
        let (folder, file, _, _, _) = try Self.fixture()
        #expect(throws: VectorIndexError.self) { try file.search([1, 2, 3], k: 3) }
        var query = randomQuery(d: 384, seed: 1)
        query[5] = .nan
        #expect(throws: VectorIndexError.self) { try file.search(query, k: 3) }
        #expect(throws: VectorIndexError.self) { try file.search(randomQuery(d: 384, seed: 1), k: -1) }
        withExtendedLifetime(folder) {}
    }

    @Test("a header that is torn or foreign reads as no header")
    func headerChecks() throws {
        let header = VectorFileHeader(dimension: 384, rowCount: 12, newestID: 99, removalBase: 3, countOffset: 0,
                                      insertions: 20, removals: 8, identity: "0123456789abcdef0123456789abcdef")
        let bytes = header.encoded()
        #expect(VectorFileHeader.decode(bytes) == header)
        for position in [0, 9, 17, 70, 121] {
            var torn = bytes
            torn[position] ^= 0x10
            #expect(VectorFileHeader.decode(torn) == nil, "byte \(position) flipped")
        }
        #expect(VectorFileHeader.decode(Array(bytes.prefix(64))) == nil)
    }
}
