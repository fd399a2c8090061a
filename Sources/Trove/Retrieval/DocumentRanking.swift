import Foundation

/// Ranking documents when the keyword half scores WHOLE documents (`documents_fts`), not chunks.
///
/// BM25 over chunks counts term frequencies and lengths per chunk; over whole documents it counts
/// them per document, as the published keyword baselines do (SciFact test nDCG@10: 0.680 over
/// chunks, 0.687 over documents). Dense retrieval still finds chunks, and a document's dense hit is
/// its best chunk (smallest d², MaxP as in ``DocumentGrouping``). Hybrid fuses these two DOCUMENT
/// lists: on SciFact train that gives nDCG@10 0.736 against 0.730 for fusing chunk lists and
/// grouping after (Benchmarks/quality/README.md).
///
///     let dense = DocumentRanking.bestChunks(denseChunkHits, documentOf: documentOf)
///     let ranked = DocumentRanking.documents(dense: dense, keyword: documentHits, mode: .keyword, limit: 100)
public enum DocumentRanking {
    /// One dense hit per document: its closest chunk's distance. Chunks of unknown documents are dropped.
    public static func bestChunks<DocumentID>(_ dense: [DenseHit<Int64>],
                                              documentOf: [Int64: DocumentID]) -> [DenseHit<DocumentID>] {
        var best: [DocumentID: Float] = [:]
        for hit in dense {
            guard let document = documentOf[hit.id] else { continue }
            best[document] = min(best[document] ?? .infinity, hit.squaredL2Distance)
        }
        return best.map { DenseHit(id: $0.key, squaredL2Distance: $0.value) }
    }

    /// Documents best first (ties by id), scored as ``ChunkRanking/scores(dense:keyword:mode:fusion:)``
    /// scores items: cosine of the best chunk, −bm25() of the whole text, or the two fused.
    public static func documents<DocumentID>(dense: [DenseHit<DocumentID>], keyword: [KeywordHit<DocumentID>],
                                             mode: SearchMode, fusion: FusionMethod = .default,
                                             limit: Int? = nil) -> [(id: DocumentID, score: Double)] {
        let ranked = ChunkRanking.scores(dense: dense, keyword: keyword, mode: mode, fusion: fusion)
        return limit.map { Array(ranked.prefix(max(0, $0))) } ?? ranked
    }
}
