import BertEncoder
import Foundation
import Store
import Tensors
import VectorIndex

extension TroveIndex {
    /// At most this many passages of one document appear in a result list (the document's best
    /// ones), so one long document cannot fill a prompt on its own.
    public static let passagesPerDocument = DocumentGrouping.defaultPassagesPerDocument

    /// The `k` best passages for `query`, grouped by document.
    ///
    /// Each retriever returns its top ``ChunkRanking/candidateDepth(for:)`` items (max(100, 4k)):
    /// the dense one chunks, the keyword one whole documents (BM25 over `documents_fts`). `mode`
    /// decides how documents are ranked (``SearchMode``): by their best chunk's cosine (a long
    /// document is neither helped nor hurt by its length), by −bm25() of their whole text, or by
    /// the two fused with ``FusionMethod/default`` (``DocumentRanking``). Each document contributes
    /// at most ``passagesPerDocument`` (3) passages, listed together, best first (see
    /// ``rankWholeDocuments(_:k:mode:dense:database:vectors:)`` for how keyword and hybrid choose
    /// them); `rank` runs over the passages. Every result carries its exact squared L2 distance and
    /// cosine to the query, whatever the mode.
    ///
    /// Refuses an index built by another encoder (the identity recorded in the file differs).
    /// Any text is a valid query: keyword search quotes the words (``KeywordQuery``).
    /// `queryVector`, when given, is the query's embedding from ``embedQueries(_:)`` (a server
    /// embeds concurrent queries together); otherwise the query is embedded here.
    public func search(_ query: String, k: Int, mode: SearchMode = .default,
                       queryVector given: [Float]? = nil) throws -> [SearchResult] {
        guard k > 0 else { return [] }
        let database = try database()
        // A new index has no encoder recorded and nothing to find (and no dimension for vectors).
        let recorded = try during("reading the encoder of \(database.location)") { try database.recordedEncoder() }
        guard recorded != nil else { return [] }
        let encoder = try encoder()
        try checkEncoder(encoder, matches: database)
        let depth = ChunkRanking.candidateDepth(for: k)
        // The query vector is needed in every mode: each result reports its distance.
        let queryVector = try given ?? during("embedding the query") { try encoder.embed([query])[0] }
        guard queryVector.count == encoder.dimension else {
            throw TroveError("searching", message: "the query vector has \(queryVector.count) values, the encoder \(encoder.dimension)")
        }
        let vectors = try vectorIndex()
        var neighbors: [Neighbor] = []
        if mode != .keyword {
            neighbors = try during("searching the vector index") { try vectors.search(queryVector, k: depth) }
        }
        let dense = neighbors.map { DenseHit(id: $0.id, squaredL2Distance: $0.squaredDistance) }
        let ranked = mode == .dense
            ? try rankPassagesByChunk(dense: dense, database: database, vectors: vectors)
            : try rankWholeDocuments(query, k: k, mode: mode, dense: dense, database: database, vectors: vectors)

        let distances = Dictionary(dense.map { ($0.id, $0.squaredL2Distance) }, uniquingKeysWith: min)
        var results: [SearchResult] = []
        for passage in ranked.documents.lazy.flatMap(\.passages).prefix(k) {
            guard let row = ranked.rows[passage.chunk] else { continue }
            let distance = distances[passage.chunk] ?? exactSquaredL2(queryVector, vectors, id: passage.chunk)
            results.append(SearchResult(rank: results.count + 1, chunkID: row.id, path: row.documentPath,
                                        title: row.documentTitle, text: row.chunk.text,
                                        distance: distance, cosine: 1 - distance / 2,
                                        start: row.chunk.start, end: row.chunk.end,
                                        page: row.chunk.page, headingPath: row.chunk.headingPath,
                                        lineStart: row.chunk.lineStart, lineEnd: row.chunk.lineEnd, anchor: row.chunk.anchor,
                                        score: passage.score, keywordScore: ranked.keywordRelevance[passage.chunk]))
        }
        return results
    }

    /// ‖q − v‖² against the stored vector of chunk `id` (present: callers keep only such chunks).
    func exactSquaredL2(_ query: [Float], _ vectors: FlatL2Index, id: Int64) -> Float {
        guard let vector = vectors.vector(id: id), vector.count == query.count else { return .infinity }
        return query.withUnsafeBufferPointer { q in
            vector.withUnsafeBufferPointer { v in squaredL2(q.baseAddress!, v.baseAddress!, count: q.count) }
        }
    }

    /// Refuses an index whose recorded encoder differs from `encoder` (an empty index has none).
    func checkEncoder(_ encoder: TextEmbedder, matches database: IndexDatabase) throws {
        let recorded = try during("reading the encoder of \(database.location)") { try database.recordedEncoder() }
        guard let recorded else { return }
        if recorded.identity != encoder.identity || recorded.dimension != encoder.dimension {
            throw TroveError("searching \(database.location)", message:
                "the index was built by encoder \(recorded.identity) (dimension \(recorded.dimension)); " +
                "this set-up has \(encoder.identity) (dimension \(encoder.dimension)): re-ingest into a new index")
        }
    }
}
