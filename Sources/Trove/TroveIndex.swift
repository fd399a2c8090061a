import BertEncoder
import Foundation
import Ingest
import Store
import Tokenizers
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
    /// Never write beside the index: no new index file, no migration, and the derived vector
    /// file is read only when it is already current (else the scan reads SQLite).
    public let readOnly: Bool

    let lock = NSRecursiveLock()
    var loadedDecoder: LoadedDecoder?
    /// The decoder's tokenizer alone, for `tokenize` without loading the weights.
    var loadedDecoderTokenizer: (any DecoderTokenizer)?
    private var loadedEncoder: TextEmbedder?
    private var openedDatabase: IndexDatabase?

    /// Nothing is opened until it is needed.
    public init(indexFile: URL?, models: ModelLocation, readOnly: Bool = false) {
        self.indexFile = indexFile
        self.models = models
        self.readOnly = readOnly
    }

    /// The encoder, loaded once, in ``encoderPrecision()``.
    func encoder() throws -> TextEmbedder {
        try lock.withLock {
            if let loadedEncoder { return loadedEncoder }
            let precision = try encoderPrecision()
            if precision == .bf16, !precision.hasFastKernels, models.encoderPrecision == .bf16 {
                throw TroveError("choosing the encoder precision", message:
                    "--encoder-precision bf16 needs a CPU with AVX-512 BF16, which this one lacks; use int8 (as fast or faster) or fp32")
            }
            let encoder = try during("loading the encoder from \(models.encoderFolder.path)") {
                try TextEmbedder(modelFolder: models.encoderFolder, precision: precision)
            }
            loadedEncoder = encoder
            return encoder
        }
    }

    /// The precision the encoder runs in. An index that holds vectors decides: its
    /// `metadata.encoder_precision` (fp32 when absent: indexes from before precisions), and a
    /// different `--encoder-precision` is refused, so an index is never extended or searched with
    /// vectors of another precision. Without an index, or before its first vector, the one asked
    /// for (``ModelLocation/encoderPrecision``), else fp32.
    ///
    /// A bf16 index on a CPU without AVX-512 BF16 is still searched (the portable kernel embeds a
    /// query in well under a second); only asking for bf16 there is refused (``encoder()``).
    public func encoderPrecision() throws -> EncoderPrecision {
        let requested = models.encoderPrecision
        guard let indexFile, FileManager.default.fileExists(atPath: indexFile.path) else { return requested ?? .fp32 }
        let database = try database()
        let recorded = try during("reading the encoder of \(database.location)") { () -> String? in
            guard try database.recordedEncoder() != nil else { return nil }
            return try database.recordedEncoderPrecision()
        }
        guard let recorded else { return requested ?? .fp32 }
        guard let stored = EncoderPrecision(rawValue: recorded) else {
            throw TroveError("reading the encoder of \(database.location)", message:
                "metadata encoder_precision is '\(recorded)', expected one of \(EncoderPrecision.allCases.map(\.rawValue).joined(separator: ", ")) (written by a newer Trove?)")
        }
        if let requested, requested != stored {
            throw TroveError("choosing the encoder precision", message:
                "the index \(database.location) holds \(stored.rawValue) vectors (metadata encoder_precision); "
                + "--encoder-precision \(requested.rawValue) would mix precisions: leave the option out (\(stored.rawValue) is used), or use a new index")
        }
        return stored
    }

    /// The index database, opened (and migrated) once. Only `creating` callers (ingest, serve)
    /// make a new file: a search, a listing or an ask on a path that holds no index is an error
    /// (``IndexNotFound``) and leaves nothing behind.
    func database(creating: Bool = false) throws -> IndexDatabase {
        try lock.withLock {
            if let openedDatabase { return openedDatabase }
            guard let indexFile else { throw TroveError("opening the index", message: "no index file was given") }
            if !creating || readOnly, !FileManager.default.fileExists(atPath: indexFile.path) {
                throw TroveError("opening the index \(indexFile.path)", IndexNotFound(path: indexFile.path))
            }
            let database = try during("opening the index \(indexFile.path)") {
                if readOnly { return try IndexDatabase.open(path: indexFile.path, readOnly: true) }
                try FileManager.default.createDirectory(at: indexFile.deletingLastPathComponent(),
                                                        withIntermediateDirectories: true)
                return try IndexDatabase.open(path: indexFile.path, createdBy: "trove \(TroveVersion.string)")
            }
            openedDatabase = database
            return database
        }
    }
}

extension TroveIndex {
    // The dense retriever as the rest of the facade sees it: exact squared L2 over every stored
    // vector. Ranking code calls only these three, so how vectors are held is decided here alone.
    //
    // How: a one-shot process must not copy 1M vectors (1.5 GB) out of SQLite to answer one
    // query (issue 17: 3 s and 5 GB). The vectors are also kept in a derived file beside the
    // index, `<index>-vectors` (``VectorFile``: flat records, scanned through small mapped
    // windows, so the page cache holds them and the process does not). SQLite stays the single
    // source of truth: every search first proves the file current against the counters that
    // schema v4's triggers keep (``currentVectorFile(_:)``), inside one read transaction,
    // appending the rows committed since or rebuilding; what it cannot prove it never reads, and
    // where the file cannot be written (a read-only folder) the scan streams from SQLite instead.
    // `trove serve` takes the same path: its resident memory is the page cache it maps, a window
    // at a time.

    /// The `k` chunks nearest to `query` (nearest first, ties by the smaller id), among `allowed`
    /// when given (the scan skips every other chunk, so a filter never shortens the list).
    func nearestChunks(to query: [Float], k: Int, allowed: Set<Int64>? = nil) throws -> [Neighbor] {
        let database = try database()
        return try during("searching the vectors of \(database.location)") {
            if let current = try currentVectorFile(database) {
                return try current.file.search(query, k: k, excluding: current.removed, allowed: allowed)
            }
            return try scanStoredVectors(database, query: query, k: k, allowed: allowed)
        }
    }

    /// Exact ‖query − v‖² for each of `ids` that has a stored vector (others are left out), read
    /// from SQLite (a few thousand rows at most) and measured by the vector index's own scan.
    func squaredDistances(from query: [Float], to ids: [Int64]) throws -> [Int64: Float] {
        let database = try database()
        let vectors = try during("reading vectors from \(database.location)") { try database.vectors(chunkIDs: ids) }
        let rows = vectors.filter { $0.value.count == query.count }
        guard !rows.isEmpty else { return [:] }
        var scan = try during("measuring distances") {
            try ExactScan(query: query, k: rows.count, dimension: query.count)
        }
        let chunkIDs = Array(rows.keys)
        let values = chunkIDs.flatMap { rows[$0]! }
        chunkIDs.withUnsafeBufferPointer { ids in
            values.withUnsafeBufferPointer { values in scan.offer(ids: ids, values: values) }
        }
        return Dictionary(scan.nearest().map { ($0.id, $0.squaredDistance) }, uniquingKeysWith: min)
    }

    /// Where the derived vector file of this index lives: `<index>-vectors`, beside the SQLite
    /// file's own `-wal` and `-shm`.
    var vectorFilePath: String? { indexFile.map { $0.path + "-vectors" } }

    /// A vector file proven to hold exactly the index's vectors once `removed` is left out.
    struct CurrentVectorFile {
        let file: VectorFile
        let removed: Set<Int64>
    }

    /// The vector file, brought up to date with the index's committed state, or nil when it cannot
    /// be (no file can be written here, or the index has no vectors' dimension yet).
    ///
    /// The proof, in one read transaction (one snapshot S). Let F be the file's records and D the
    /// ids of `vector_removals` logged after the file's `removalBase`. Every record was a live row
    /// at some snapshot after `removalBase` (the build or an append), and any later removal or
    /// rewrite of it is logged, so F − D ⊆ live(S), with the vectors of S. Hence if
    /// |F − D| = insertions − removals − countOffset = |live(S)| the two sets are equal. New rows
    /// are found as ids above the file's newest (chunk ids are AUTOINCREMENT) and appended first.
    /// A file that fails the count (a row written under an old id, a foreign file), or where D
    /// covers more than an eighth of it, is rebuilt from S.
    func currentVectorFile(_ database: IndexDatabase) throws -> CurrentVectorFile? {
        guard let path = vectorFilePath, let file = VectorFile.openLocked(path: path, readOnly: readOnly) else { return nil }
        defer { file.unlock() }
        return try database.withVectorSnapshot { snapshot -> CurrentVectorFile? in
            let state = snapshot.state
            guard state.dimension > 0 else { return nil }
            if let header = file.header, header.identity == state.identity, header.dimension == state.dimension,
               header.removalBase <= state.newestRemovalSeq, header.insertions <= state.insertions,
               header.removals <= state.removals {
                var updated = header
                if try snapshot.hasVector(afterChunkID: header.newestID) {
                    guard file.isWritable else { return nil }
                    do {
                        try snapshot.forEachVectorBatch(afterChunkID: header.newestID) { ids, values in
                            try file.writeRecords(at: updated.rowCount, dimension: header.dimension, ids: ids, values: values)
                            updated.rowCount += ids.count
                            updated.newestID = ids[ids.count - 1]
                        }
                    } catch is VectorIndexError {
                        return nil   // a full disk, say: the scan reads SQLite instead
                    }
                }
                updated.insertions = state.insertions
                updated.removals = state.removals
                if updated != header, file.isWritable {
                    do { try file.commit(updated) } catch is VectorIndexError { return nil }
                }
                let removed = Set(try snapshot.removedChunkIDs(afterSeq: header.removalBase))
                let present = try file.countPresent(Array(removed))
                let live = Int64(updated.rowCount - present)
                if live == state.vectorCount - header.countOffset, present <= updated.rowCount / 8 + 64 {
                    return CurrentVectorFile(file: file, removed: removed)
                }
            }
            guard file.isWritable else { return nil }
            do {
                let rebuilt = try file.rebuild(dimension: state.dimension) { append in
                    var newest: Int64 = 0
                    let rows = try snapshot.forEachVectorBatch { ids, values in
                        try append(ids, values)
                        newest = ids[ids.count - 1]
                    }
                    return VectorFileHeader(dimension: state.dimension, rowCount: rows, newestID: newest,
                                            removalBase: state.newestRemovalSeq,
                                            countOffset: state.vectorCount - Int64(rows),
                                            insertions: state.insertions, removals: state.removals,
                                            identity: state.identity)
                }
                rebuilt.unlock()
                return CurrentVectorFile(file: rebuilt, removed: [])
            } catch is VectorIndexError {
                return nil
            }
        }
    }

    /// After a write: drops the removal log's rows that the vector file beside the index, built at
    /// its `removalBase`, no longer needs (see ``IndexDatabase/pruneVectorRemovals(throughSeq:identity:)``),
    /// so that a folder edited for years does not keep a row per vector ever replaced.
    func pruneRemovalLog(_ database: IndexDatabase) throws {
        guard !readOnly, let path = vectorFilePath, FileManager.default.fileExists(atPath: path),
              let file = VectorFile.openLocked(path: path, readOnly: true) else { return }
        file.unlock()
        guard let header = file.header, header.removalBase > 0 else { return }
        try during("pruning the removal log of \(database.location)") {
            try database.pruneVectorRemovals(throughSeq: header.removalBase, identity: header.identity)
        }
    }

    /// The exact scan straight from SQLite, one batch of rows at a time (no vector file here).
    func scanStoredVectors(_ database: IndexDatabase, query: [Float], k: Int, allowed: Set<Int64>?) throws -> [Neighbor] {
        try database.withVectorSnapshot { snapshot in
            guard snapshot.state.dimension > 0 else { return [] }
            var scan = try ExactScan(query: query, k: k, dimension: snapshot.state.dimension, allowed: allowed)
            try snapshot.forEachVectorBatch { ids, values in scan.offer(ids: ids, values: values) }
            return scan.nearest()
        }
    }
}

extension TroveIndex {
    /// Loads what serving needs before the first request: the index, its vectors and the encoder,
    /// then the decoder. Returns the decoder's loading error instead of throwing it, so a server
    /// without a decoder file can still search (generation requests then fail with that error).
    public func preload() throws -> Error? {
        _ = try database(creating: true)
        // Proves (or builds) the vector file once, so the first request does not pay for it.
        _ = try during("preparing the vectors of \(try database().location)") { try currentVectorFile(database()) }
        _ = try encoder()
        do {
            _ = try decoder()
            return nil
        } catch {
            return error
        }
    }
}
