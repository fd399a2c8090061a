import Foundation
import GRDB

/// The two full-text indexes a query's words are scored in.
public enum KeywordTable: String, Sendable {
    /// `chunks_fts`: one row per passage.
    case passages = "chunks_fts"
    /// `documents_fts`: one row per document, its whole text.
    case documents = "documents_fts"
}

/// What FTS5's BM25 knows about a query's words in one table: how many rows the table has and in
/// how many of them each word occurs (the inputs of its idf). Enough to compute the largest score
/// a row could reach for this query (``BM25Ceiling``).
public struct KeywordStatistics: Sendable, Equatable {
    /// Rows in the table.
    public var rows: Int64
    /// For each word of the query (``KeywordQuery/words(of:)``), the rows it occurs in.
    public var matchingRows: [Int64]

    public init(rows: Int64, matchingRows: [Int64]) {
        self.rows = rows
        self.matchingRows = matchingRows
    }
}

/// One row of a full-text index that matches a query: a passage (chunk id) or a document.
public struct KeywordMatch: Sendable, Equatable {
    /// The chunk id (``KeywordTable/passages``) or the document id (``KeywordTable/documents``).
    public var id: Int64
    /// −bm25(): FTS5's BM25 negated, larger is more relevant.
    public var score: Double

    public init(id: Int64, score: Double) {
        self.id = id
        self.score = score
    }
}

extension IndexDatabase {
    /// The row count of `table` and, for each word of `query`, the rows it matches: the numbers FTS5
    /// uses for the words' idf. The row count is FTS5's own (its averages record), so it is what
    /// `bm25()` used; each word is one `MATCH` counted.
    public func keywordStatistics(_ query: String, in table: KeywordTable) throws -> KeywordStatistics {
        let words = KeywordQuery.words(of: query)
        return try read { db in
            let rows = try Self.ftsRowCount(db, table: table)
            let matching = try words.map { word -> Int64 in
                try Int64.fetchOne(db, sql: "SELECT count(*) FROM \(table.rawValue) WHERE \(table.rawValue) MATCH ?",
                                   arguments: ["\"\(word)\""]) ?? 0
            }
            return KeywordStatistics(rows: rows, matchingRows: matching)
        }
    }

    /// Every row of `table` that matches `query` (``KeywordQuery``), with its −bm25() (larger is
    /// better), in no particular order. One pass over the words' doclists, nothing joined: FTS5
    /// computes bm25() for every match to order them anyway, and a `rowid IN (…)` restriction would
    /// run the whole query once per listed row.
    public func keywordMatches(_ query: String, in table: KeywordTable) throws -> [KeywordMatch] {
        guard let expression = KeywordQuery.matchExpression(for: query) else { return [] }
        let name = table.rawValue
        return try read { db in
            var matches: [KeywordMatch] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT rowid, bm25(\(name)) FROM \(name) WHERE \(name) MATCH ?",
                                           arguments: [expression])
            while let row = try rows.next() {
                matches.append(KeywordMatch(id: row[0], score: -(row[1] as Double)))
            }
            return matches
        }
    }

    /// Whether any row of `table` holds `word` (a run of letters and digits), as FTS5 tokenizes
    /// and stems it: one doclist lookup that stops at the first row, however common the word.
    public func keywordOccurs(_ word: String, in table: KeywordTable) throws -> Bool {
        guard !word.isEmpty, word.allSatisfy({ $0.isLetter || $0.isNumber }) else { return false }
        return try read { db in
            try Int64.fetchOne(db, sql: "SELECT rowid FROM \(table.rawValue) WHERE \(table.rawValue) MATCH ? LIMIT 1",
                               arguments: ["\"\(word)\""]) != nil
        }
    }

    /// The rows of an FTS5 table as FTS5 counts them: the first varint of its averages record
    /// (`<table>_data`, id 1; https://sqlite.org/src/file/ext/fts5/fts5_index.c, "averages").
    /// Falls back to counting the rows when the record cannot be read.
    static func ftsRowCount(_ db: Database, table: KeywordTable) throws -> Int64 {
        if let block = try Data.fetchOne(db, sql: "SELECT block FROM \(table.rawValue)_data WHERE id = 1"),
           let count = Self.sqliteVarint(block) {
            return count
        }
        return try Int64.fetchOne(db, sql: "SELECT count(*) FROM \(table.rawValue)") ?? 0
    }

    /// SQLite's variable-length integer (big-endian groups of 7 bits, the 9th byte whole), or nil
    /// when `bytes` ends first.
    static func sqliteVarint(_ bytes: Data) -> Int64? {
        var value: UInt64 = 0
        for (i, byte) in bytes.prefix(9).enumerated() {
            if i == 8 { return Int64(bitPattern: (value << 8) | UInt64(byte)) }
            value = (value << 7) | UInt64(byte & 0x7f)
            if byte & 0x80 == 0 { return Int64(bitPattern: value) }
        }
        return nil
    }
}
