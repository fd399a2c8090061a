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

/// One full-text match of a whole document: its id, path and BM25 relevance.
public struct DocumentKeywordHit: Sendable, Equatable, Codable {
    /// The matching document's row id (= `documents_fts.rowid`).
    public var documentID: Int64
    /// The document's path.
    public var path: String
    /// `-bm25(documents_fts)`, higher is more relevant (always > 0 for a match).
    public var score: Double

    /// A hit for the document `documentID` at `path` with relevance `score` (higher is better).
    public init(documentID: Int64, path: String, score: Double) {
        self.documentID = documentID
        self.path = path
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

    /// Full-text search of whole documents (`documents_fts`) with FTS5's `bm25()`, best first (ties
    /// by document id): term frequencies and lengths count per document, not per chunk.
    ///
    /// `query` becomes the same expression as in ``keywordSearch(_:limit:)`` (``KeywordQuery``), so
    /// no input is an FTS5 syntax error.
    public func documentKeywordSearch(_ query: String, limit: Int) throws -> [DocumentKeywordHit] {
        guard limit > 0, let expression = KeywordQuery.matchExpression(for: query) else { return [] }
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT documents_fts.rowid, documents.path, bm25(documents_fts) AS rank
                FROM documents_fts JOIN documents ON documents.id = documents_fts.rowid
                WHERE documents_fts MATCH ? ORDER BY rank, documents_fts.rowid LIMIT ?
                """, arguments: [expression, limit])
                .map { DocumentKeywordHit(documentID: $0[0], path: $0[1], score: -($0[2] as Double)) }
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
                    found[id] = StoredChunk(id: id, chunk: chunk, documentPath: row[13], documentTitle: row[14],
                                            documentFormat: row[15])
                }
            }
        }
        return ids.compactMap { found[$0] }
    }

    /// chunk id → document id, for the chunks `ids` that are stored.
    public func documentIDs(ofChunks ids: [Int64]) throws -> [Int64: Int64] {
        try chunkDocumentPairs(sql: "SELECT id, document_id FROM chunks WHERE id IN", values: ids)
    }

    /// chunk id → document id, for every chunk of the documents `documentIDs`.
    public func chunkIDs(ofDocuments documentIDs: [Int64]) throws -> [Int64: Int64] {
        try chunkDocumentPairs(sql: "SELECT id, document_id FROM chunks WHERE document_id IN", values: documentIDs)
    }

    /// (chunk id, document id) rows of `sql` + "(values…)", 500 values per statement.
    private func chunkDocumentPairs(sql: String, values: [Int64]) throws -> [Int64: Int64] {
        var pairs: [Int64: Int64] = [:]
        try read { db in
            for start in stride(from: 0, to: values.count, by: 500) {
                let batch = Array(values[start ..< min(start + 500, values.count)])
                let marks = Array(repeating: "?", count: batch.count).joined(separator: ", ")
                let rows = try Row.fetchCursor(db, sql: "\(sql) (\(marks))", arguments: StatementArguments(batch))
                while let row = try rows.next() { pairs[row[0]] = row[1] }
            }
        }
        return pairs
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
