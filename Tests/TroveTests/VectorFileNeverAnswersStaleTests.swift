import Foundation
import GRDB
@testable import Store
import Testing
import TroveTestSupport
import VectorIndex
@testable import Trove

/// The dense retriever reads the derived `<index>-vectors` file, and yet answers exactly as an
/// in-memory ``FlatL2Index`` over what SQLite holds at that moment: after writes by another
/// connection (including raw SQL that reuses ids), after a migration from schema v3, where the
/// file cannot be written, and after a crash in the middle of writing it.
@Suite("Vector file never answers stale", .serialized)
struct VectorFileNeverAnswersStaleTests {
    static let d = 384
    let folder: TemporaryFolder
    let indexFile: URL
    /// Another connection to the same file, as another process (an ingest, a script) would write.
    let writer: IndexDatabase
    var rng = VectorFileTestRandom(seed: 17)

    init() throws {
        folder = try TemporaryFolder("trove-vector-file")
        indexFile = folder.url.appendingPathComponent("index.sqlite")
        writer = try IndexDatabase.open(path: indexFile.path)
        try writer.ensureEncoder(identity: "fake-encoder", dimension: Self.d)
    }

    var vectorFile: String { indexFile.path + "-vectors" }

    func facade() -> TroveIndex { TroveIndex(indexFile: indexFile, models: ModelLocation(folder: folder.url)) }

    mutating func randomVector() -> [Float] { (0 ..< Self.d).map { _ in Float.random(in: -1 ..< 1, using: &rng) } }

    /// Stores `documents` documents of `chunks` chunks each, with random vectors.
    mutating func addDocuments(_ documents: Int, chunks: Int, prefix: String) throws {
        for doc in 0 ..< documents {
            let path = "\(prefix)-\(doc).txt"
            let chunkList = (0 ..< chunks).map { Chunk(ordinal: $0, text: "chunk \($0) of \(path)", start: 0, end: 1, tokenCount: 4) }
            let vectors = (0 ..< chunks).map { _ in randomVector() }
            try writer.replaceDocument(Document(path: path, contentHash: "\(path)-\(doc)", size: 1, mtime: 0, format: "txt"),
                                       chunks: chunkList, vectors: vectors)
        }
    }

    /// What today's exact search returns: a FlatL2Index over every vector SQLite holds now.
    func reference(_ query: [Float], k: Int, allowed: Set<Int64>? = nil) throws -> [Neighbor] {
        let stored = try IndexDatabase.open(path: indexFile.path).loadVectors()
        let index = try FlatL2Index(ids: stored.chunkIDs, values: stored.values, dimension: Self.d)
        guard let allowed else { return try index.search(query, k: k) }
        return Array(try index.search(query, k: index.count).filter { allowed.contains($0.id) }.prefix(k))
    }

    func storedIDs() throws -> [Int64] { try IndexDatabase.open(path: indexFile.path).loadVectors().chunkIDs }

    /// Searches answer as the reference does, and (unless `fromFile` is false) from the vector
    /// file, not from the SQLite fallback.
    mutating func expectExact(_ trove: TroveIndex, _ label: String, queries: [[Float]] = [], fromFile: Bool = true) throws {
        for query in queries + [randomVector(), randomVector()] {
            #expect(try trove.nearestChunks(to: query, k: 10) == reference(query, k: 10), "\(label)")
        }
        #expect((try trove.currentVectorFile(trove.database()) != nil) == fromFile, "\(label): from the file")
    }

    /// The vector file's inode: unchanged by an append, new after a rebuild.
    var fileNumber: UInt64? { (try? FileManager.default.attributesOfItem(atPath: vectorFile))?[.systemFileNumber] as? UInt64 }

    @Test("20k chunks: same neighbours as FlatL2Index, with and without allowed, single and batch")
    mutating func equalsFlatIndex() throws {
        try addDocuments(40, chunks: 500, prefix: "doc")
        let trove = facade()
        let ids = try storedIDs()
        #expect(ids.count == 20_000)
        let allowed = Set(ids.filter { $0 % 7 == 3 })
        let copy = try #require(try writer.vectors(chunkIDs: [ids[1234]])[ids[1234]])
        for query in [copy, randomVector(), randomVector()] {
            #expect(try trove.nearestChunks(to: query, k: 10) == reference(query, k: 10))
            #expect(try trove.nearestChunks(to: query, k: 25, allowed: allowed) == reference(query, k: 25, allowed: allowed))
        }
        #expect(FileManager.default.fileExists(atPath: vectorFile))
        let distances = try trove.squaredDistances(from: copy, to: [ids[1234], ids[5], -1])
        #expect(distances.count == 2 && distances[ids[1234]] == 0)
    }

    @Test("the removal log keeps only what the newest vector file has not seen; searches stay exact")
    mutating func removalLogIsPruned() throws {
        func logged() throws -> Int { try writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM vector_removals") ?? -1 } }
        try addDocuments(20, chunks: 10, prefix: "doc")
        let trove = facade()
        try expectExact(trove, "first build")
        try addDocuments(10, chunks: 10, prefix: "doc")                     // 100 vectors replaced
        #expect(try logged() == 100)
        try trove.pruneRemovalLog(trove.database())
        #expect(try logged() == 100, "the file was built before these removals: it still needs them")
        try expectExact(trove, "after replacing documents")
        try FileManager.default.removeItem(atPath: vectorFile)
        try expectExact(trove, "rebuilt after the removals")
        try trove.pruneRemovalLog(trove.database())
        #expect(try logged() == 0)
        try addDocuments(3, chunks: 10, prefix: "doc")                      // 30 more, after the prune
        #expect(try logged() == 30)
        try expectExact(trove, "after more replacements, the log pruned")
        try FileManager.default.removeItem(atPath: vectorFile)
        try expectExact(trove, "rebuilt again")
    }

    @Test("rows added, removed or rewritten by another connection are seen by the next search")
    mutating func staleness() throws {
        try addDocuments(30, chunks: 100, prefix: "doc")
        let trove = facade()
        try expectExact(trove, "first build")
        let built = fileNumber
        try addDocuments(2, chunks: 50, prefix: "new")                      // appended
        try expectExact(trove, "after adding documents")
        _ = try writer.removeDocument(path: "doc-3.txt")                   // left out by the removal log
        try expectExact(trove, "after removing a document")
        try addDocuments(1, chunks: 100, prefix: "doc")                     // replace doc-0: remove + add
        try expectExact(trove, "after replacing a document")
        #expect(fileNumber == built, "documents added, removed and replaced need no rebuild")
        let ids = try storedIDs()
        // Raw SQL behind the facade's back, with old ids: an UPDATE, a REPLACE (no delete trigger
        // fires), a delete and re-insert of the same chunk id.
        let moved = randomVector(), replaced = randomVector(), reinserted = randomVector()
        try writer.write { db in
            try db.execute(sql: "UPDATE vectors SET embedding = ? WHERE chunk_id = ?", arguments: [VectorBlob.data(from: moved), ids[10]])
        }
        try expectExact(trove, "after an UPDATE of a stored vector", queries: [moved])
        try writer.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO vectors(chunk_id, embedding) VALUES (?, ?)",
                           arguments: [ids[20], VectorBlob.data(from: replaced)])
        }
        try expectExact(trove, "after an INSERT OR REPLACE", queries: [replaced])
        try writer.write { db in
            try db.execute(sql: "DELETE FROM vectors WHERE chunk_id = ?", arguments: [ids[30]])
            try db.execute(sql: "INSERT INTO vectors(chunk_id, embedding) VALUES (?, ?)",
                           arguments: [ids[30], VectorBlob.data(from: reinserted)])
        }
        try expectExact(trove, "after a delete and re-insert of one id", queries: [reinserted])
        // A fresh facade (a new process) proves the same file current and answers the same.
        for query in [moved, replaced, reinserted] { #expect(try facade().nearestChunks(to: query, k: 10) == reference(query, k: 10)) }
        let beforeCompaction = fileNumber
        _ = try writer.removeDocuments(paths: (1 ..< 30).map { "doc-\($0).txt" })   // most rows: rebuilt
        try expectExact(trove, "after removing most documents")
        #expect(fileNumber != beforeCompaction, "a file mostly of removed rows is rebuilt")
    }

    @Test("an index from schema v3 is migrated without re-embedding and searched exactly")
    mutating func migration() throws {
        try addDocuments(6, chunks: 200, prefix: "doc")
        // Back to v3 as an older Trove left it: no v4 tables, triggers or migration record.
        try writer.write { db in
            try db.execute(sql: """
                DROP TRIGGER vectors_count_insert; DROP TRIGGER vectors_log_delete; DROP TRIGGER vectors_log_update;
                DROP TABLE vector_set; DROP TABLE vector_removals;
                DELETE FROM grdb_migrations WHERE identifier = 'v4-vector-set-changes';
                UPDATE metadata SET value = '3' WHERE key = 'schema_version';
                """)
        }
        let migrated = try IndexDatabase.open(path: indexFile.path)
        let state = try migrated.withVectorSnapshot { $0.state }
        #expect(state.vectorCount == 1200 && state.removals == 0 && state.identity.count == 32)
        let trove = facade()
        try expectExact(trove, "after migrating")
        _ = try writer.removeDocument(path: "doc-2.txt")
        try expectExact(trove, "after a removal once migrated")
    }

    @Test("where the vector file cannot be created, the scan reads SQLite and answers the same")
    mutating func fallback() throws {
        try addDocuments(4, chunks: 250, prefix: "doc")
        // A dangling link: neither creatable nor readable, as in a read-only folder.
        try FileManager.default.createSymbolicLink(atPath: vectorFile, withDestinationPath: "/nonexistent-trove-folder/v")
        let trove = facade()
        try expectExact(trove, "no vector file", fromFile: false)
        try addDocuments(1, chunks: 10, prefix: "more")
        try expectExact(trove, "no vector file, after adding", fromFile: false)
        let allowed = Set(try storedIDs().filter { $0 % 2 == 0 })
        let query = randomVector()
        #expect(try trove.nearestChunks(to: query, k: 12, allowed: allowed) == reference(query, k: 12, allowed: allowed))
        // A folder in the way: it opens read-only but is no vector file, and cannot be replaced.
        try FileManager.default.removeItem(atPath: vectorFile)
        try FileManager.default.createDirectory(atPath: vectorFile, withIntermediateDirectories: false)
        try expectExact(trove, "a folder where the vector file would be", fromFile: false)
    }

    @Test("a crash while the vector file was written leaves an index that answers exactly")
    mutating func crashLeftovers() throws {
        try addDocuments(5, chunks: 200, prefix: "doc")
        let trove = facade()
        try expectExact(trove, "first build")
        // 1. Killed during a rebuild: a half-written temporary file beside a valid one.
        try Data(repeating: 0xAB, count: 100_000).write(to: URL(fileURLWithPath: vectorFile + ".tmp"))
        try expectExact(trove, "with a half-written .tmp")
        let appendable = fileNumber
        // 2. Killed during an append: records written past rowCount, header not yet rewritten.
        let handle = try #require(FileHandle(forWritingAtPath: vectorFile))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(repeating: 0x7F, count: 1544 * 3 + 100))
        try handle.close()
        try expectExact(trove, "with junk past the last record")
        try addDocuments(1, chunks: 20, prefix: "after-junk")
        try expectExact(trove, "appending over the junk")
        #expect(fileNumber == appendable, "junk past the records does not force a rebuild")
        // 3. A torn header (killed, or a power cut, in the middle of writing it).
        var bytes = try Data(contentsOf: URL(fileURLWithPath: vectorFile))
        bytes[20] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: vectorFile))
        try expectExact(trove, "with a torn header")
        // 4. Truncated in the middle of its records (a header that promises more than is there).
        let size = try #require(try FileManager.default.attributesOfItem(atPath: vectorFile)[.size] as? Int)
        try FileHandle(forWritingAtPath: vectorFile).map { try $0.truncate(atOffset: UInt64(size - 5000)); try $0.close() }
        try expectExact(trove, "truncated")
        // 5. Nothing left: an empty file.
        try Data().write(to: URL(fileURLWithPath: vectorFile))
        try expectExact(trove, "empty")
    }
}

/// splitmix64: the same "random" vectors on every run.
struct VectorFileTestRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
