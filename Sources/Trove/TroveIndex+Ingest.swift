import Foundation
import Ingest
import Store

public typealias IngestReport = Ingest.IngestReport
public typealias IngestProgress = Ingest.IngestProgress

extension TroveIndex {
    /// Brings the index up to date with folders and files: new files are added, changed ones
    /// replaced, unchanged ones left alone (not embedded again), moved ones keep their vectors, and
    /// documents under an ingested folder whose files are gone are removed. Each document is one
    /// transaction. Files that cannot be read are skipped and reported, never fatal.
    ///
    /// What it reads or finds unchanged goes into `collection`, by default the collection named
    /// after each folder given (a file given alone: its folder's name); `search` and `ask` can keep
    /// to collections (``SearchFilter/collections``). `chunkOverlap` sets the word pieces repeated
    /// between consecutive chunks of the files read in this run (``Chunker/overlapTokens``; nil:
    /// the default). `progress` is called from the ingesting thread after each file.
    @discardableResult
    public func ingest(_ paths: [URL], collection: String? = nil, chunkOverlap: Int? = nil,
                       progress: ((IngestProgress) -> Void)? = nil) throws -> IngestReport {
        let database = try database(creating: true)
        let encoder = try encoder()
        try during("checking the index's encoder") {
            try database.ensureEncoder(identity: encoder.identity, dimension: encoder.dimension, precision: encoder.vectorPrecision)
        }
        let count: (Substring) -> Int = { encoder.wordPieceCount($0) }
        let chunker = chunkOverlap.map { Chunker(maxTokens: encoder.maxTokens, overlapTokens: $0, countTokens: count) }
            ?? Chunker(maxTokens: encoder.maxTokens, countTokens: count)
        let pipeline = IngestPipeline(database: database, encoder: encoder, chunker: chunker)
        let report = try during("ingesting into \(database.location)") {
            try pipeline.ingest(paths: paths.map { $0.standardizedFileURL }, collection: collection, progress: progress)
        }
        try pruneRemovalLog(database)
        return report
    }
}
