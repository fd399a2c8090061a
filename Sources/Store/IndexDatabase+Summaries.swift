import GRDB

extension IndexDatabase {
    /// Chunks per document id, for listings (one query, not one per document).
    public func chunkCount(ofDocument id: Int64) throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM chunks WHERE document_id = ?", arguments: [id]) ?? 0 }
    }

    public func chunkCountsByDocument() throws -> [Int64: Int] {
        try read { db in
            var counts: [Int64: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT document_id, count(*) FROM chunks GROUP BY document_id") {
                counts[row[0]] = row[1]
            }
            return counts
        }
    }

    /// Documents per format (`text`, `markdown`, `html`, `pdf`, `code`, `jsonl`).
    public func documentCountsByFormat() throws -> [String: Int] {
        try read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT format, count(*) FROM documents GROUP BY format") {
                counts[row[0]] = row[1]
            }
            return counts
        }
    }

    /// Documents and chunks per collection, by name; documents written before collections existed
    /// (and not ingested since) are counted under `nil`.
    public func collectionCounts() throws -> [(collection: String?, documents: Int, chunks: Int)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT d.collection, count(*), sum((SELECT count(*) FROM chunks c WHERE c.document_id = d.id))
                FROM documents d GROUP BY d.collection ORDER BY d.collection IS NULL, d.collection
                """).map { ($0[0], $0[1], $0[2]) }
        }
    }
}
