import Foundation

/// One chunk-level result to group: the chunk, the document it belongs to, and its score (larger is
/// better: a fused score, a cosine similarity, or −bm25()).
public struct ScoredChunk<ChunkID: Hashable & Comparable & Sendable, DocumentID: Hashable & Comparable & Sendable>: Sendable, Equatable {
    /// The chunk.
    public let chunk: ChunkID
    /// The document holding the chunk.
    public let document: DocumentID
    /// The chunk's score, larger is better.
    public let score: Double

    /// Plain memberwise initialiser.
    public init(chunk: ChunkID, document: DocumentID, score: Double) {
        self.chunk = chunk
        self.document = document
        self.score = score
    }
}

/// One document in a grouped result list: scored by its best chunk, with its best passages.
public struct DocumentResult<ChunkID: Hashable & Comparable & Sendable, DocumentID: Hashable & Comparable & Sendable>: Sendable, Equatable {
    /// The document.
    public let document: DocumentID
    /// The score of its best chunk (larger is better): a long document is neither helped nor hurt by
    /// how many chunks it has (MaxP, as in Dai & Callan, SIGIR 2019).
    public let score: Double
    /// Its passages, best first, at most `passagesPerDocument` of them; `passages[0]` is the best chunk.
    public let passages: [ScoredChunk<ChunkID, DocumentID>]
}

/// Turns a chunk ranking into a document ranking.
///
/// A document's score is its best chunk's score; documents are ordered by that score descending,
/// ties broken by ascending document id. Each document keeps at most `passagesPerDocument` of its
/// chunks (best first, ties by chunk id), so one long document cannot fill a prompt on its own.
///
///     let documents = DocumentGrouping.group(chunks, passagesPerDocument: 2, limit: 10)
public enum DocumentGrouping {
    /// The default number of passages one document may contribute to a result list.
    public static let defaultPassagesPerDocument = 3

    /// Groups `chunks` (any order; a repeated chunk keeps its best score) by document.
    /// - Parameters:
    ///   - passagesPerDocument: passages kept per document (values below 1 are treated as 1).
    ///   - limit: documents returned; nil for all.
    public static func group<ChunkID, DocumentID>(_ chunks: [ScoredChunk<ChunkID, DocumentID>],
                                                  passagesPerDocument: Int = defaultPassagesPerDocument,
                                                  limit: Int? = nil) -> [DocumentResult<ChunkID, DocumentID>] {
        let cap = max(1, passagesPerDocument)
        let ordered = chunks.sorted { $0.score != $1.score ? $0.score > $1.score : $0.chunk < $1.chunk }
        var seenChunks = Set<ChunkID>()
        var passages: [DocumentID: [ScoredChunk<ChunkID, DocumentID>]] = [:]
        for chunk in ordered where seenChunks.insert(chunk.chunk).inserted {
            if passages[chunk.document, default: []].count < cap { passages[chunk.document, default: []].append(chunk) }
        }
        let documents = passages.map { document, kept in
            DocumentResult(document: document, score: kept[0].score, passages: kept)
        }.sorted { $0.score != $1.score ? $0.score > $1.score : $0.document < $1.document }
        guard let limit else { return documents }
        return Array(documents.prefix(max(0, limit)))
    }
}
