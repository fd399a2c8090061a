import BertEncoder
import Foundation
import Ingest
import Store
import Tensors
import VectorIndex

/// The facade: one index file and the models that read and write it.
///
/// Everything is loaded on first use, so `TroveIndex(indexFile: nil, models:)` can embed texts
/// without an index, and a search does not load the decoder.
///
/// ```swift
/// let trove = TroveIndex(indexFile: URL(fileURLWithPath: "notes.sqlite"), models: .resolve())
/// try trove.ingest([URL(fileURLWithPath: "notes/")])
/// for result in try trove.search("when was the lens replaced?", k: 3) {
///     print(result.rank, result.path, result.cosine)
/// }
/// ```
public final class TroveIndex: @unchecked Sendable {
    /// The index file, or nil for a facade used only to embed or generate.
    public let indexFile: URL?
    public let models: ModelLocation

    let lock = NSRecursiveLock()
    var loadedDecoder: LoadedDecoder?
    private var loadedEncoder: TextEmbedder?
    private var openedDatabase: IndexDatabase?
    private var loadedVectors: FlatL2Index?
    /// The newest chunk id among ``loadedVectors`` (ids only grow, see ``vectorIndex()``).
    private var vectorsLoadedThrough: Int64 = 0

    /// Nothing is opened until it is needed.
    public init(indexFile: URL?, models: ModelLocation) {
        self.indexFile = indexFile
        self.models = models
    }

    /// The encoder, loaded once.
    func encoder() throws -> TextEmbedder {
        try lock.withLock {
            if let loadedEncoder { return loadedEncoder }
            let encoder = try during("loading the encoder from \(models.encoderFolder.path)") {
                try TextEmbedder(modelFolder: models.encoderFolder)
            }
            loadedEncoder = encoder
            return encoder
        }
    }

    /// The index database, opened (and created or migrated) once.
    func database() throws -> IndexDatabase {
        try lock.withLock {
            if let openedDatabase { return openedDatabase }
            guard let indexFile else { throw TroveError("opening the index", message: "no index file was given") }
            let database = try during("opening the index \(indexFile.path)") {
                try FileManager.default.createDirectory(at: indexFile.deletingLastPathComponent(),
                                                        withIntermediateDirectories: true)
                return try IndexDatabase.open(path: indexFile.path, createdBy: "trove \(TroveVersion.string)")
            }
            openedDatabase = database
            return database
        }
    }

    /// Drops the in-memory vector index so the next search reloads it from the file.
    func invalidateVectors() {
        lock.withLock { loadedVectors = nil }
    }

    /// The in-memory exact index over every stored vector: loaded once, then brought up to date
    /// at each call with the vectors committed since (by this process or another), so a document
    /// is searchable as soon as its ingest transaction commits. Chunk ids are AUTOINCREMENT, so
    /// "newer than the newest loaded" finds exactly the new rows with one indexed read. Removed
    /// chunks stay in memory until the next full reload (after `ingest` or `remove` here); a
    /// search leaves out any chunk whose row is gone.
    func vectorIndex() throws -> FlatL2Index {
        try lock.withLock {
            let database = try database()
            if var index = loadedVectors {
                let newest = try during("reading \(database.location)") { try database.newestVectorChunkID() }
                guard newest > vectorsLoadedThrough else { return index }
                let fresh = try during("loading new vectors from \(database.location)") {
                    try database.loadVectors(afterChunkID: vectorsLoadedThrough)
                }
                try during("adding new vectors to the vector index") {
                    try index.add(ids: fresh.chunkIDs, values: fresh.values)
                }
                loadedVectors = index
                vectorsLoadedThrough = fresh.chunkIDs.last ?? vectorsLoadedThrough
                return index
            }
            let stored = try during("loading vectors from \(database.location)") { try database.loadVectors() }
            let index = try during("building the vector index") {
                try FlatL2Index(ids: stored.chunkIDs, values: stored.values, dimension: stored.dimension)
            }
            loadedVectors = index
            vectorsLoadedThrough = stored.chunkIDs.last ?? 0
            return index
        }
    }
}

extension TroveIndex {
    // The dense retriever as the rest of the facade sees it: exact squared L2 over every stored
    // vector. Ranking code calls only these three, so how vectors are held (in memory, streamed,
    // mapped) is decided here alone.

    /// The `k` chunks nearest to `query` (nearest first, ties by the smaller id), among `allowed`
    /// when given (the scan skips every other chunk, so a filter never shortens the list).
    func nearestChunks(to query: [Float], k: Int, allowed: Set<Int64>? = nil) throws -> [Neighbor] {
        let vectors = try vectorIndex()
        return try during("searching the vector index") {
            guard let allowed else { return try vectors.search(query, k: k) }
            var kept = try vectors.search(query, k: vectors.count)
            kept.removeAll { !allowed.contains($0.id) }
            return Array(kept.prefix(k))
        }
    }

    /// ``nearestChunks(to:k:allowed:)`` for many queries at once (evaluation).
    func nearestChunks(to queries: [[Float]], k: Int) throws -> [[Neighbor]] {
        let vectors = try vectorIndex()
        return try during("searching the vector index") { try vectors.search(queries: queries, k: k) }
    }

    /// Exact ‖query − v‖² for each of `ids` that has a stored vector (others are left out).
    func squaredDistances(from query: [Float], to ids: [Int64]) throws -> [Int64: Float] {
        let vectors = try vectorIndex()
        var distances: [Int64: Float] = [:]
        for id in ids {
            guard let vector = vectors.vector(id: id), vector.count == query.count else { continue }
            distances[id] = query.withUnsafeBufferPointer { q in
                vector.withUnsafeBufferPointer { v in squaredL2(q.baseAddress!, v.baseAddress!, count: q.count) }
            }
        }
        return distances
    }
}

extension TroveIndex {
    /// Loads what serving needs before the first request: the index, its vectors and the encoder,
    /// then the decoder. Returns the decoder's loading error instead of throwing it, so a server
    /// without a decoder file can still search (generation requests then fail with that error).
    public func preload() throws -> Error? {
        _ = try database()
        if try database().recordedEncoder() != nil { _ = try vectorIndex() }
        _ = try encoder()
        do {
            _ = try decoder()
            return nil
        } catch {
            return error
        }
    }
}
