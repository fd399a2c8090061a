import Foundation
import Store
import VectorIndex

/// Documents ranked for one query, with the rows of their passages.
struct RankedPassages {
    /// Best first; each with at most ``TroveIndex/passagesPerDocument`` passages.
    var documents: [DocumentResult<Int64, String>]
    /// chunk id → the stored passage (every passage of `documents` is here).
    var rows: [Int64: StoredChunk]
    /// chunk id → −bm25() in `chunks_fts`, for passages that match the query's words.
    var keywordRelevance: [Int64: Double]
}

extension TroveIndex {
    /// Dense search: documents by their best chunk, passages by cosine (``ChunkRanking``).
    func rankPassagesByChunk(dense: [DenseHit<Int64>], database: IndexDatabase,
                             vectors: FlatL2Index) throws -> RankedPassages {
        let scores = ChunkRanking.scores(dense: dense, keyword: [], mode: .dense)
        let rows = try passageRows(scores.map(\.id), database: database, vectors: vectors)
        let documents = ChunkRanking.documents(scores, documentOf: rows.mapValues(\.documentPath),
                                               passagesPerDocument: Self.passagesPerDocument)
        return RankedPassages(documents: documents, rows: rows, keywordRelevance: [:])
    }

    /// Keyword and hybrid search: the `k` best documents by ``DocumentRanking`` (whole-document BM25
    /// from `documents_fts`, fused in hybrid mode with each document's best dense chunk), then each
    /// document's passages by chunk-level scores: −bm25() in `chunks_fts` (keyword) or that fused
    /// with the chunk's cosine (hybrid); a document none of whose chunks scores gets its first chunk.
    /// A passage's `score` is its document's, the value the list is ordered by.
    func rankWholeDocuments(_ query: String, k: Int, mode: SearchMode, dense: [DenseHit<Int64>],
                            database: IndexDatabase, vectors: FlatL2Index) throws -> RankedPassages {
        let found = try during("searching the full-text index of \(database.location)") {
            try database.documentKeywordSearch(query, limit: ChunkRanking.candidateDepth(for: k))
        }
        var rows = try passageRows(dense.map(\.id), database: database, vectors: vectors)
        var documentID = Dictionary(found.map { ($0.path, $0.documentID) }, uniquingKeysWith: { first, _ in first })
        for row in rows.values { documentID[row.documentPath] = row.chunk.documentID }
        let ranked = DocumentRanking.documents(
            dense: DocumentRanking.bestChunks(dense, documentOf: rows.mapValues(\.documentPath)),
            keyword: found.map { Trove.KeywordHit(id: $0.path, bm25: -$0.score) }, mode: mode, limit: k)

        let chunkHits = try during("searching the full-text index of \(database.location)") {
            try database.keywordSearch(query, inDocuments: ranked.compactMap { documentID[$0.id] })
        }
        let keyword = chunkHits.map { Trove.KeywordHit(id: $0.chunkID, bm25: -$0.score) }
        rows.merge(try passageRows(keyword.map(\.id).filter { rows[$0] == nil }, database: database, vectors: vectors),
                   uniquingKeysWith: { first, _ in first })
        var passages: [String: [Int64]] = [:]
        for scored in ChunkRanking.scores(dense: dense, keyword: keyword, mode: mode) {
            guard let path = rows[scored.id]?.documentPath else { continue }
            if passages[path, default: []].count < Self.passagesPerDocument { passages[path, default: []].append(scored.id) }
        }
        var documents: [DocumentResult<Int64, String>] = []
        for document in ranked {
            var chosen = passages[document.id] ?? []
            if chosen.isEmpty, let first = try firstPassage(of: document.id, database: database, vectors: vectors) {
                rows[first.id] = first
                chosen = [first.id]
            }
            guard !chosen.isEmpty else { continue }
            documents.append(DocumentResult(document: document.id, score: document.score, passages: chosen.map {
                ScoredChunk(chunk: $0, document: document.id, score: document.score)
            }))
        }
        return RankedPassages(documents: documents, rows: rows,
                              keywordRelevance: Dictionary(keyword.map { ($0.id, $0.relevance) }, uniquingKeysWith: max))
    }

    /// The stored rows of chunks `ids`. A chunk removed since the candidates were found has no row,
    /// and one added by another process since the vectors were loaded has no vector: either is left out.
    private func passageRows(_ ids: [Int64], database: IndexDatabase, vectors: FlatL2Index) throws -> [Int64: StoredChunk] {
        let stored = try during("reading passages from \(database.location)") { try database.chunks(ids: ids) }
        return Dictionary(stored.filter { vectors.contains(id: $0.id) }.map { ($0.id, $0) },
                          uniquingKeysWith: { first, _ in first })
    }

    /// The first chunk (with a vector) of the document at `path`.
    private func firstPassage(of path: String, database: IndexDatabase, vectors: FlatL2Index) throws -> StoredChunk? {
        let chunks = try during("reading passages from \(database.location)") { try database.chunks(documentPath: path) }
        guard let id = chunks.lazy.compactMap(\.id).first(where: { vectors.contains(id: $0) }) else { return nil }
        return try passageRows([id], database: database, vectors: vectors)[id]
    }
}
