import Foundation
import GRDB

/// Every vector of an index, ready for a flat index: row `i` of `values` embeds chunk `chunkIDs[i]`.
public struct StoredVectors: Sendable, Equatable {
    /// Chunk ids in ascending order, one per row.
    public var chunkIDs: [Int64]
    /// Row-major [chunkIDs.count, dimension] float32 values.
    public var values: [Float]
    /// Length of each row (0 for an index with no encoder recorded).
    public var dimension: Int

    public init(chunkIDs: [Int64], values: [Float], dimension: Int) {
        self.chunkIDs = chunkIDs
        self.values = values
        self.dimension = dimension
    }
}

extension IndexDatabase {
    /// Reads every vector into one contiguous array, in one read transaction.
    ///
    /// Fast for 100k+ rows: the count is read first, `values` is allocated once, and each BLOB is
    /// copied straight from SQLite's buffer into its row (no per-row `[Float]`). Throws
    /// ``StoreError/corruptVector(file:chunkID:bytes:expectedBytes:)`` for a BLOB of the wrong length.
    public func loadVectors() throws -> StoredVectors {
        try read { db in
            guard let encoder = try encoder(db) else { return StoredVectors(chunkIDs: [], values: [], dimension: 0) }
            let dimension = encoder.dimension
            let rowBytes = dimension * MemoryLayout<Float>.size
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM vectors") ?? 0
            var chunkIDs = [Int64]()
            chunkIDs.reserveCapacity(count)
            var values = [Float](repeating: 0, count: count * dimension)
            try values.withUnsafeMutableBufferPointer { buffer in
                let rows = try Row.fetchCursor(db, sql: "SELECT chunk_id, embedding FROM vectors ORDER BY chunk_id")
                var row = 0
                // `count` was read in this same transaction, so the cursor yields exactly `count` rows.
                while let next = try rows.next(), row < count {
                    let chunkID: Int64 = next[0]
                    try next.withUnsafeData(atIndex: 1) { data in
                        let bytes = data?.count ?? 0
                        guard bytes == rowBytes, let data else {
                            throw StoreError.corruptVector(file: location, chunkID: chunkID,
                                                           bytes: bytes, expectedBytes: rowBytes)
                        }
                        let target = UnsafeMutableBufferPointer(rebasing: buffer[row * dimension ..< (row + 1) * dimension])
                        data.withUnsafeBytes { VectorBlob.copyLittleEndian(from: $0, to: target) }
                    }
                    chunkIDs.append(chunkID)
                    row += 1
                }
            }
            return StoredVectors(chunkIDs: chunkIDs, values: values, dimension: dimension)
        }
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
