import BertEncoder
import Foundation
import Store

extension TroveIndex {
    /// At most this many passages of one document appear in a result list (the document's best).
    public static let passagesPerDocument = PassageRanking.defaultPassagesPerDocument

    /// The `k` best passages for `query` (`k` counts passages; fewer only when the index holds
    /// fewer), best first by the score shown in each result (``PassageRanking``), at most
    /// ``passagesPerDocument`` of one document.
    ///
    /// The candidates are the dense retriever's nearest passages, the keyword retriever's best
    /// passages (`chunks_fts`) and every matching passage of its best documents (`documents_fts`),
    /// ``PassageRanking/candidateDepth(for:)`` of each; every candidate then gets every signal its
    /// mode uses, exactly (its cosine, its BM25 and its document's), so the score of a passage does
    /// not depend on which list found it. `explain` keeps those signals in each result.
    ///
    /// Keyword mode loads neither the encoder nor the vectors: its results have no cosine.
    /// Refuses an index built by another encoder (the identity recorded in the file differs).
    /// Any text is a valid query: keyword search quotes the words (``KeywordQuery``).
    /// `queryVector`, when given, is the query's embedding from ``embedQueries(_:)`` (a server
    /// embeds concurrent queries together); otherwise the query is embedded here.
    /// `filter` limits the documents searched (``SearchFilter``); one that allows no document of
    /// the index throws ``FilterMatchesNothing``.
    public func search(_ query: String, k: Int, mode: SearchMode = .default, weights: RankingWeights = .default,
                       filter: SearchFilter = SearchFilter(), explain: Bool = false,
                       queryVector given: [Float]? = nil) throws -> [SearchResult] {
        try search(query, k: k, mode: mode, weights: weights, filter: filter, explain: explain, queryVector: given, cosines: false)
    }

    /// ``search(_:k:mode:weights:filter:explain:queryVector:)``, with every result's cosine in
    /// keyword mode too when `cosines` (`ask` weighs evidence by it), and after the k results up
    /// to `keywordPassages` more: the best of the others by their own BM25
    /// (``PassageRanking/bestByOwnKeywords(_:excluding:limit:)``).
    func search(_ query: String, k: Int, mode: SearchMode, weights: RankingWeights, filter: SearchFilter,
                explain: Bool, queryVector given: [Float]?, cosines: Bool, keywordPassages: Int = 0) throws -> [SearchResult] {
        guard k > 0 else { return [] }
        let candidates = try rankPassages(query, depth: PassageRanking.candidateDepth(for: k), mode: mode,
                                          weights: weights, filter: filter, queryVector: given, cosines: cosines)
        var chosen = PassageRanking.select(candidates, limit: k)
        chosen += PassageRanking.bestByOwnKeywords(candidates, excluding: Set(chosen.map(\.chunk)), limit: keywordPassages)
        let database = try database()
        let stored = try during("reading passages from \(database.location)") { try database.chunks(ids: chosen.map(\.chunk)) }
        let rows = Dictionary(stored.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // A passage removed since it was found is left out (and the ranks stay 1, 2, 3, …).
        return chosen.filter { rows[$0.chunk] != nil }.enumerated().map { index, signals in
            let row = rows[signals.chunk]!
            let cosine = signals.cosine.map(Float.init)
            return SearchResult(rank: index + 1, chunkID: row.id, path: row.documentPath,
                                title: row.documentTitle, text: row.chunk.text,
                                distance: cosine.map { 2 - 2 * $0 }, cosine: cosine,
                                start: row.chunk.start, end: row.chunk.end,
                                page: row.chunk.page, headingPath: row.chunk.headingPath,
                                lineStart: row.chunk.lineStart, lineEnd: row.chunk.lineEnd, anchor: row.chunk.anchor,
                                score: signals.score, explanation: explain ? signals : nil)
        }
    }

    /// Finds the candidates of `query` and scores every one of them (see ``search(_:k:mode:weights:filter:explain:queryVector:)``),
    /// best first (ties by chunk id), not yet cut per document. `cosines` asks for each
    /// candidate's cosine in keyword mode as well (`ask` weighs evidence by it).
    func rankPassages(_ query: String, depth: Int, mode: SearchMode, weights: RankingWeights,
                      filter: SearchFilter = SearchFilter(), queryVector given: [Float]?,
                      cosines: Bool) throws -> [RankingSignals] {
        let database = try database()
        // A new index has no encoder recorded and nothing to find (and no dimension for vectors).
        let recorded = try during("reading the encoder of \(database.location)") { try database.recordedEncoder() }
        guard let recorded else { return [] }

        // The filter, as the documents and passages it allows (nil: all).
        var allowedDocuments: Set<Int64>?
        var allowedPassages: Set<Int64>?
        if !filter.isEmpty {
            let documents = try during("filtering the documents of \(database.location)") {
                try database.documentIDs(matching: filter)
            }
            guard !documents.isEmpty else { throw FilterMatchesNothing(filter: filter) }
            allowedDocuments = Set(documents)
            allowedPassages = Set(try during("reading \(database.location)") { try database.chunkIDs(ofDocuments: documents) }.keys)
        }

        var queryVector: [Float]?
        if mode != .keyword || cosines {
            let encoder = try encoder()
            try checkEncoder(encoder, matches: recorded, in: database)
            let vector = try given ?? during("embedding the query") { try encoder.embed([query])[0] }
            guard vector.count == encoder.dimension else {
                throw TroveError("searching", message: "the query vector has \(vector.count) values, the encoder \(encoder.dimension)")
            }
            queryVector = vector
        }

        // The three candidate lists, each with its ranks for --explain.
        var distances: [Int64: Float] = [:]
        var denseRank: [Int64: Int] = [:]
        if mode != .keyword, let queryVector {
            for (rank, neighbor) in try nearestChunks(to: queryVector, k: depth, allowed: allowedPassages).enumerated() {
                distances[neighbor.id] = neighbor.squaredDistance
                denseRank[neighbor.id] = rank + 1
            }
        }
        var passageBM25: [Int64: Double] = [:]
        var passageRank: [Int64: Int] = [:]
        var documentBM25: [Int64: Double] = [:]
        var documentRank: [Int64: Int] = [:]
        var passageCeiling = 0.0, documentCeiling = 0.0
        if mode != .dense {
            try during("searching the full-text index of \(database.location)") {
                var passages = try database.keywordMatches(query, in: .passages)
                var documents = try database.keywordMatches(query, in: .documents)
                if let allowedPassages, let allowedDocuments {
                    passages.removeAll { !allowedPassages.contains($0.id) }
                    documents.removeAll { !allowedDocuments.contains($0.id) }
                }
                for match in passages { passageBM25[match.id] = match.score }
                for match in documents { documentBM25[match.id] = match.score }
                for (rank, match) in Self.best(passages, depth).enumerated() { passageRank[match.id] = rank + 1 }
                for (rank, match) in Self.best(documents, depth).enumerated() { documentRank[match.id] = rank + 1 }
                passageCeiling = BM25Ceiling.value(try database.keywordStatistics(query, in: .passages))
                documentCeiling = BM25Ceiling.value(try database.keywordStatistics(query, in: .documents))
            }
        }

        // The candidates (chunk id → document id): the three lists, then every matching passage of
        // every document they reached (a long document's best paragraph is found even when no list
        // had it), and the first passage of a document that matches as a whole but in none of its
        // passages (chunk ids grow with the ordinal: a document's first is its smallest).
        var documentOf = try during("reading \(database.location)") {
            try database.documentIDs(ofChunks: Array(Set(distances.keys).union(passageRank.keys)))
        }
        if mode != .dense {
            let documents = Set(documentOf.values).union(documentRank.keys)
            let chunksOfDocuments = try during("reading \(database.location)") {
                try database.chunkIDs(ofDocuments: Array(documents))
            }
            var firstChunk: [Int64: Int64] = [:]
            var matched = Set<Int64>()
            for (chunk, document) in chunksOfDocuments {
                firstChunk[document] = min(firstChunk[document] ?? .max, chunk)
                if passageBM25[chunk] != nil {
                    documentOf[chunk] = document
                    matched.insert(document)
                }
            }
            for document in documentRank.keys where !matched.contains(document) {
                if let first = firstChunk[document] { documentOf[first] = document }
            }
        }
        if let queryVector, mode != .dense || cosines {
            let missing = documentOf.keys.filter { distances[$0] == nil }
            distances.merge(try squaredDistances(from: queryVector, to: missing), uniquingKeysWith: { first, _ in first })
        }

        let candidates = documentOf.map { chunk, document in
            RankingSignals(chunk: chunk, document: document, denseRank: denseRank[chunk],
                           cosine: distances[chunk].map { 1 - Double($0) / 2 },
                           passageBM25Rank: passageRank[chunk], passageBM25: passageBM25[chunk],
                           documentBM25Rank: documentRank[document], documentBM25: documentBM25[document])
        }
        return PassageRanking.scored(candidates, mode: mode, weights: weights,
                                     passageCeiling: passageCeiling, documentCeiling: documentCeiling)
    }

    /// The `depth` best of `matches` (largest score first, ties by id).
    private static func best(_ matches: [KeywordMatch], _ depth: Int) -> [KeywordMatch] {
        Array(matches.sorted { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }.prefix(depth))
    }

    /// Refuses an index whose recorded encoder differs from `encoder` (an empty index has none).
    func checkEncoder(_ encoder: TextEmbedder, matches database: IndexDatabase) throws {
        let recorded = try during("reading the encoder of \(database.location)") { try database.recordedEncoder() }
        if let recorded { try checkEncoder(encoder, matches: recorded, in: database) }
    }

    /// Refuses `encoder` when it is not the one `recorded` in the index `database`.
    func checkEncoder(_ encoder: TextEmbedder, matches recorded: EncoderIdentity, in database: IndexDatabase) throws {
        if recorded.identity != encoder.identity || recorded.dimension != encoder.dimension {
            throw TroveError("searching \(database.location)", message:
                "the index was built by encoder \(recorded.identity) (dimension \(recorded.dimension)); " +
                "this set-up has \(encoder.identity) (dimension \(encoder.dimension)): re-ingest into a new index")
        }
    }
}
