import Foundation
import GRDB
import GRDBSQLite

/// Every vector of an index, ready for a flat index: row `i` of `values` embeds chunk `chunkIDs[i]`.
public struct StoredVectors: Sendable, Equatable {
    /// Chunk ids in ascending order, one per row.
    public var chunkIDs: [Int64]
    /// Row-major [chunkIDs.count, dimension] float32 values.
    public var values: [Float]
    /// Length of each row (0 for an index with no encoder recorded).
    public var dimension: Int

    /// Vectors as loaded: `values.count == chunkIDs.count * dimension`.
    public init(chunkIDs: [Int64], values: [Float], dimension: Int) {
        self.chunkIDs = chunkIDs
        self.values = values
        self.dimension = dimension
    }
}

extension IndexDatabase {
    /// Reads every vector (or, with `afterChunkID`, those of newer chunks: ids only grow) into one
    /// contiguous array, in one read transaction.
    ///
    /// Fast for 100k+ rows: the count is read first, `values` is allocated once, and each BLOB is
    /// copied straight from SQLite's buffer into its row (no per-row `[Float]`). Throws
    /// ``StoreError/corruptVector(file:chunkID:bytes:expectedBytes:)`` for a BLOB of the wrong length.
    public func loadVectors(afterChunkID: Int64 = 0) throws -> StoredVectors {
        try read { db in
            guard let encoder = try encoder(db) else { return StoredVectors(chunkIDs: [], values: [], dimension: 0) }
            let dimension = encoder.dimension
            let rowBytes = dimension * MemoryLayout<Float>.size
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM vectors WHERE chunk_id > ?",
                                         arguments: [afterChunkID]) ?? 0
            var chunkIDs = [Int64]()
            chunkIDs.reserveCapacity(count)
            var values = [Float](repeating: 0, count: count * dimension)
            // SQLite's C API directly: per row, one integer and one BLOB pointer copied into place.
            // (GRDB's Row cursor costs about as much again as the copy itself at 100k rows.)
            let statement = try db.makeStatement(
                sql: "SELECT chunk_id, embedding FROM vectors WHERE chunk_id > ? ORDER BY chunk_id")
            try statement.setArguments([afterChunkID])
            let handle = statement.sqliteStatement
            try values.withUnsafeMutableBufferPointer { buffer in
                var row = 0
                // `count` was read in this same transaction, so the statement yields exactly `count` rows.
                while row < count {
                    let code = sqlite3_step(handle)
                    if code == SQLITE_DONE { break }
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
                    let target = UnsafeMutableBufferPointer(rebasing: buffer[row * dimension ..< (row + 1) * dimension])
                    VectorBlob.copyLittleEndian(from: UnsafeRawBufferPointer(start: blob, count: bytes), to: target)
                    chunkIDs.append(chunkID)
                    row += 1
                }
            }
            sqlite3_reset(handle)
            return StoredVectors(chunkIDs: chunkIDs, values: values, dimension: dimension)
        }
    }

    /// The largest chunk id that has a vector (0 for none): a cheap test for vectors written since
    /// a load, by this process or another (chunk ids are AUTOINCREMENT, so they only grow).
    public func newestVectorChunkID() throws -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT max(chunk_id) FROM vectors") ?? 0 }
    }

    /// The stored vector of one chunk, or `nil` if it has none.
    public func vector(chunkID: Int64) throws -> [Float]? {
        try read { db in
            guard let data = try Data.fetchOne(db, sql: "SELECT embedding FROM vectors WHERE chunk_id = ?",
                                               arguments: [chunkID]) else { return nil }
            guard let vector = VectorBlob.vector(from: data) else {
                throw StoreError.corruptVector(file: location, chunkID: chunkID, bytes: data.count,
                                               expectedBytes: (try encoder(db)?.dimension ?? 0) * 4)
            }
            return vector
        }
    }
}
