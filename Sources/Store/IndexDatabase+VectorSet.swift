import Foundation
import GRDB
import GRDBSQLite

/// The state of an index's vectors that a derived copy is checked against (schema v4's
/// `vector_set`): see `Migrations.v4`.
public struct VectorSetState: Sendable, Equatable {
    /// Random per index file (32 hex digits).
    public var identity: String
    /// Rows ever inserted into `vectors` (an UPDATE counts as one insertion and one removal).
    public var insertions: Int64
    /// Rows ever removed from `vectors`, each logged in `vector_removals`.
    public var removals: Int64
    /// The newest `vector_removals.seq` (0 before the first removal).
    public var newestRemovalSeq: Int64
    /// The encoder's dimension (0 when no encoder is recorded yet).
    public var dimension: Int

    /// `insertions − removals`: how many vectors the index holds.
    public var vectorCount: Int64 { insertions - removals }
}

/// One read transaction over the vectors: the state and the rows, all from one snapshot.
/// Valid only inside ``IndexDatabase/withVectorSnapshot(_:)``.
public struct VectorSnapshot {
    let db: Database
    let location: String
    /// The counters of this snapshot.
    public let state: VectorSetState

    /// Chunk ids whose vectors were removed (or rewritten) after removal `seq`, oldest first.
    public func removedChunkIDs(afterSeq seq: Int64) throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT chunk_id FROM vector_removals WHERE seq > ? ORDER BY seq", arguments: [seq])
    }

    /// Whether any vector has `chunk_id > afterChunkID` (one index probe).
    public func hasVector(afterChunkID: Int64) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM vectors WHERE chunk_id > ?)", arguments: [afterChunkID]) ?? false
    }

    /// The stored vector of `chunkID` in this snapshot, or nil.
    public func vector(chunkID: Int64) throws -> [Float]? {
        guard let data = try Data.fetchOne(db, sql: "SELECT embedding FROM vectors WHERE chunk_id = ?",
                                           arguments: [chunkID]) else { return nil }
        guard data.count == state.dimension * 4, let vector = VectorBlob.vector(from: data) else {
            throw StoreError.corruptVector(file: location, chunkID: chunkID, bytes: data.count, expectedBytes: state.dimension * 4)
        }
        return vector
    }

    /// Streams every vector with `chunk_id > afterChunkID`, in ascending id order, in batches of at
    /// most `batchRows`: `body(ids, values)` with values row-major [ids.count, dimension]. Memory is
    /// one batch, whatever the index size. Returns how many rows were streamed.
    @discardableResult
    public func forEachVectorBatch(afterChunkID: Int64 = 0, batchRows: Int = 4096,
                                   _ body: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Float>) throws -> Void) throws -> Int {
        let dimension = state.dimension
        guard dimension > 0 else { return 0 }
        let rowBytes = dimension * MemoryLayout<Float>.size
        // Every vector is read once, in order: through SQLite's small page cache, not its memory
        // map, whose pages would stay counted in the process (a 3M-chunk rebuild peaked at 4.2 GB
        // RSS). SQLite changes the map only while no mapped page is in use, as here between statements.
        try db.execute(sql: "PRAGMA mmap_size = 0")
        defer { try? db.execute(sql: "PRAGMA mmap_size = \(IndexDatabase.mappedBytes)") }
        let statement = try db.makeStatement(
            sql: "SELECT chunk_id, embedding FROM vectors WHERE chunk_id > ? ORDER BY chunk_id")
        try statement.setArguments([afterChunkID])
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        var ids = [Int64](repeating: 0, count: batchRows)
        var values = [Float](repeating: 0, count: batchRows * dimension)
        var total = 0
        var done = false
        while !done {
            var n = 0
            // SQLite's C API directly: one integer and one BLOB copied into place per row.
            try values.withUnsafeMutableBufferPointer { buffer in
                while n < batchRows {
                    let code = sqlite3_step(handle)
                    if code == SQLITE_DONE { done = true; break }
                    guard code == SQLITE_ROW else {
                        throw StoreError.sqlite(file: location, sql: statement.sql,
                                                message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                    }
                    let chunkID = sqlite3_column_int64(handle, 0)
                    let blob = sqlite3_column_blob(handle, 1)
                    let bytes = Int(sqlite3_column_bytes(handle, 1))
                    guard bytes == rowBytes, let blob else {
                        throw StoreError.corruptVector(file: location, chunkID: chunkID, bytes: bytes, expectedBytes: rowBytes)
                    }
                    let target = UnsafeMutableBufferPointer(rebasing: buffer[n * dimension ..< (n + 1) * dimension])
                    VectorBlob.copyLittleEndian(from: UnsafeRawBufferPointer(start: blob, count: bytes), to: target)
                    ids[n] = chunkID
                    n += 1
                }
            }
            guard n > 0 else { break }
            try ids.withUnsafeBufferPointer { ids in
                try values.withUnsafeBufferPointer { values in
                    try body(UnsafeBufferPointer(rebasing: ids[0 ..< n]), UnsafeBufferPointer(rebasing: values[0 ..< n * dimension]))
                }
            }
            total += n
        }
        return total
    }
}

extension IndexDatabase {
    /// Runs `body` in one read transaction with the vector set's counters of that snapshot.
    public func withVectorSnapshot<T>(_ body: (VectorSnapshot) throws -> T) throws -> T {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT identity, insertions, removals FROM vector_set WHERE id = 1") else {
                throw StoreError.corruptMetadata(file: location, key: "vector_set", value: "no row")
            }
            let seq = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'vector_removals'") ?? 0
            let state = VectorSetState(identity: row[0], insertions: row[1], removals: row[2],
                                       newestRemovalSeq: seq, dimension: try encoder(db)?.dimension ?? 0)
            return try body(VectorSnapshot(db: db, location: location, state: state))
        }
    }

    /// Deletes the `vector_removals` rows at or below removal `seq`, which a vector file of this
    /// index (`identity`) built at `seq` no longer reads: the log then holds only what happened
    /// since the newest file instead of every removal ever. Safe for any other file: one that still
    /// needed a pruned row leaves out too few ids, so its count proof fails and it is rebuilt.
    /// Returns the rows deleted (none when `identity` is not this index's).
    @discardableResult
    public func pruneVectorRemovals(throughSeq seq: Int64, identity: String) throws -> Int {
        try write { db in
            guard try String.fetchOne(db, sql: "SELECT identity FROM vector_set WHERE id = 1") == identity else { return 0 }
            try db.execute(sql: "DELETE FROM vector_removals WHERE seq <= ?", arguments: [seq])
            return db.changesCount
        }
    }

    /// The stored vectors of `chunkIDs` that have one, read in one transaction.
    public func vectors(chunkIDs: [Int64]) throws -> [Int64: [Float]] {
        try withVectorSnapshot { snapshot in
            var found: [Int64: [Float]] = [:]
            for id in Set(chunkIDs) {
                if let vector = try snapshot.vector(chunkID: id) { found[id] = vector }
            }
            return found
        }
    }
}
