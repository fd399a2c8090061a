import BertEncoder
import Foundation
import Ingest
import Store
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

    /// The in-memory exact index over every stored vector, loaded once.
    func vectorIndex() throws -> FlatL2Index {
        try lock.withLock {
            if let loadedVectors { return loadedVectors }
            let database = try database()
            let stored = try during("loading vectors from \(database.location)") { try database.loadVectors() }
            let index = try during("building the vector index") {
                try FlatL2Index(ids: stored.chunkIDs, values: stored.values, dimension: stored.dimension)
            }
            loadedVectors = index
            return index
        }
    }
}
