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

    /// Vectors as loaded: `values.count == chunkIDs.count * dimension`.
    public init(chunkIDs: [Int64], values: [Float], dimension: Int) {
        self.chunkIDs = chunkIDs
        self.values = values
        self.dimension = dimension
    }
}

extension IndexDatabase {
    /// Reads every vector (or, with `afterChunkID`, those of newer chunks: ids only grow) into one
    /// contiguous array, in one read transaction, batch by batch (``VectorSnapshot/forEachVectorBatch(afterChunkID:batchRows:_:)``).
    /// Throws ``StoreError/corruptVector(file:chunkID:bytes:expectedBytes:)`` for a BLOB of the wrong length.
    public func loadVectors(afterChunkID: Int64 = 0) throws -> StoredVectors {
        try withVectorSnapshot { snapshot in
            guard snapshot.state.dimension > 0 else { return StoredVectors(chunkIDs: [], values: [], dimension: 0) }
            var chunkIDs: [Int64] = [], values: [Float] = []
            try snapshot.forEachVectorBatch(afterChunkID: afterChunkID) { ids, batch in
                chunkIDs.append(contentsOf: ids)
                values.append(contentsOf: batch)
            }
            return StoredVectors(chunkIDs: chunkIDs, values: values, dimension: snapshot.state.dimension)
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
