import BertEncoder
import Foundation
import Store
import VectorIndex

extension TroveIndex {
    /// The `k` passages nearest to `query` by exact squared L2 distance between embeddings.
    ///
    /// Refuses an index built by another encoder (the identity recorded in the file differs).
    public func search(_ query: String, k: Int) throws -> [SearchResult] {
        let database = try database()
        let encoder = try encoder()
        try checkEncoder(encoder, matches: database)
        let queryVector = try during("embedding the query") { try encoder.embed([query])[0] }
        let neighbors = try during("searching the vector index") { try vectorIndex().search(queryVector, k: k) }
        return try results(for: neighbors, from: database)
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

    /// Joins neighbors with their chunk and document rows, keeping the neighbors' order.
    func results(for neighbors: [Neighbor], from database: IndexDatabase) throws -> [SearchResult] {
        let chunks = try during("reading passages from \(database.location)") {
            try database.chunks(ids: neighbors.map(\.id))
        }
        let byID = Dictionary(chunks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // A chunk removed since the vectors were loaded has no row: it is left out.
        let found = neighbors.compactMap { neighbor in byID[neighbor.id].map { (neighbor, $0) } }
        return found.enumerated().map { offset, pair in
            let (neighbor, stored) = pair
            return SearchResult(rank: offset + 1, chunkID: stored.id, path: stored.documentPath,
                                title: stored.documentTitle, text: stored.chunk.text,
                                distance: neighbor.squaredDistance, cosine: 1 - neighbor.squaredDistance / 2,
                                start: stored.chunk.start, end: stored.chunk.end,
                                page: stored.chunk.page, headingPath: stored.chunk.headingPath)
        }
    }
}
