import Foundation

/// The ranking step of dense search (``TroveIndex/search(_:k:mode:)``): chunk candidates → one score
/// per chunk → documents, each scored by its best chunk (``DocumentGrouping``). Its `scores` also
/// orders a document's passages in keyword and hybrid search, and scores whole documents for
/// ``DocumentRanking``.
///
///     let chunks = ChunkRanking.scores(dense: denseHits, keyword: keywordHits, mode: .hybrid)
///     let documents = DocumentGrouping.group(chunks.map { ScoredChunk(chunk: $0.id, document: documentOf[$0.id]!, score: $0.score) })
public enum ChunkRanking {
    /// How many chunks each retriever returns for a query asking for `k` results: deep enough that
    /// fusion sees most of what either half would rank in the top k documents even when documents
    /// have several chunks, and that min-max normalisation has a stable minimum.
    public static func candidateDepth(for k: Int) -> Int { max(100, 4 * k) }

    /// One score per item (a chunk; or a document, see ``DocumentRanking``), larger is better, best
    /// first (ties by id).
    ///
    /// - dense: cosine 1 − d²/2 of each dense hit (keyword hits are ignored);
    /// - keyword: −bm25() of each keyword hit (dense hits are ignored);
    /// - hybrid: ``RankFusion/fuse(dense:keyword:method:limit:)`` with `fusion` over both lists.
    public static func scores<ID>(dense: [DenseHit<ID>], keyword: [KeywordHit<ID>], mode: SearchMode,
                                  fusion: FusionMethod = .default) -> [(id: ID, score: Double)] {
        switch mode {
        case .dense:
            return RankFusion.orderedDense(dense).map { ($0.id, $0.similarity) }
        case .keyword:
            return RankFusion.orderedKeyword(keyword).map { ($0.id, $0.relevance) }
        case .hybrid:
            return RankFusion.fuse(dense: dense, keyword: keyword, method: fusion).map { ($0.id, $0.score) }
        }
    }

    /// The documents of a chunk ranking, best first, each with at most `passagesPerDocument` chunks.
    /// Chunks whose document is unknown (removed since the candidates were found) are left out.
    public static func documents<DocumentID>(_ scores: [(id: Int64, score: Double)],
                                             documentOf: [Int64: DocumentID],
                                             passagesPerDocument: Int = DocumentGrouping.defaultPassagesPerDocument,
                                             limit: Int? = nil) -> [DocumentResult<Int64, DocumentID>] {
        let chunks = scores.compactMap { item in
            documentOf[item.id].map { ScoredChunk(chunk: item.id, document: $0, score: item.score) }
        }
        return DocumentGrouping.group(chunks, passagesPerDocument: passagesPerDocument, limit: limit)
    }
}
