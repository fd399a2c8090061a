import GRDB

/// One full-text match: a chunk and its BM25 relevance.
public struct KeywordHit: Sendable, Equatable, Codable {
    /// The matching chunk's row id.
    public var chunkID: Int64
    /// `-bm25(chunks_fts)`: FTS5's BM25 negated, so that higher is more relevant (always > 0 for a match).
    public var score: Double

    /// A hit for `chunkID` with relevance `score` (higher is better).
    public init(chunkID: Int64, score: Double) {
        self.chunkID = chunkID
        self.score = score
    }
}

extension IndexDatabase {
    /// Full-text search of chunk text with FTS5's `bm25()`, best first (ties by chunk id).
    ///
    /// `query` is anything a user typed: it becomes quoted words joined by OR (see
    /// ``KeywordQuery``) and is passed as a parameter, so no input is an FTS5 syntax error.
    /// Words are stemmed (porter) and diacritics ignored, as the index was built.
    public func keywordSearch(_ query: String, limit: Int) throws -> [KeywordHit] {
        guard limit > 0, let expression = KeywordQuery.matchExpression(for: query) else { return [] }
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT rowid, bm25(chunks_fts) AS rank FROM chunks_fts
                WHERE chunks_fts MATCH ? ORDER BY rank, rowid LIMIT ?
                """, arguments: [expression, limit])
                .map { KeywordHit(chunkID: $0[0], score: -($0[1] as Double)) }
        }
    }

    /// The chunks with these ids, with their document's path, title and format, in the order of
    /// `ids` (ids not stored are left out).
    public func chunks(ids: [Int64]) throws -> [StoredChunk] {
        guard !ids.isEmpty else { return [] }
        var found: [Int64: StoredChunk] = [:]
        try read { db in
            // 500 ids per statement stays far below SQLite's limit on bound parameters.
            for start in stride(from: 0, to: ids.count, by: 500) {
                let batch = Array(ids[start ..< min(start + 500, ids.count)])
                let marks = Array(repeating: "?", count: batch.count).joined(separator: ", ")
                let rows = try Row.fetchAll(db, sql: """
                    SELECT \(Chunk.columns), d.path, d.title, d.format
                    FROM chunks c JOIN documents d ON d.id = c.document_id
                    WHERE c.id IN (\(marks))
                    """, arguments: StatementArguments(batch))
                for row in rows {
                    let chunk = Chunk(row: row)
                    let id: Int64 = row[0]
                    found[id] = StoredChunk(id: id, chunk: chunk, documentPath: row[9], documentTitle: row[10],
                                            documentFormat: row[11])
                }
            }
        }
        return ids.compactMap { found[$0] }
    }

    /// The chunks of the document at `path`, by ordinal.
    public func chunks(documentPath path: String) throws -> [Chunk] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Chunk.columns) FROM chunks c JOIN documents d ON d.id = c.document_id
                WHERE d.path = ? ORDER BY c.ordinal
                """, arguments: [path]).map(Chunk.init(row:))
        }
    }
}
