import GRDB

/// A document's whole text rebuilt from its chunks, for `documents_fts` when the loaded text is not
/// at hand (indexes written before migration v2, or a caller that passes only chunks).
///
/// Chunks are code-point slices `start..<end` of the document's text that may overlap (the chunker
/// repeats a sentence or two) and may leave gaps, which hold only whitespace (the chunks cover every
/// other character). Walking them by `start`, each contributes its text from
/// max(start, furthest end so far) onward; a gap becomes one space. For the tokenizer the result
/// holds exactly the words of the original text, in order, each once.
///
///     chunks "The walrus eats" [0, 15) and "eats clams." [11, 22)  →  "The walrus eats clams."
public enum DocumentText {
    /// The text of a document made of `chunks` (any order; `start`/`end` as stored).
    public static func joined(_ chunks: [(text: String, start: Int, end: Int)]) -> String {
        var text = ""
        var covered: Int? = nil                      // the furthest `end` seen so far
        for chunk in chunks.sorted(by: { ($0.start, $0.end) < ($1.start, $1.end) }) {
            let from = max(chunk.start, covered ?? chunk.start)
            guard from < chunk.end else { continue }     // wholly inside text already taken
            if let covered, chunk.start > covered { text += " " }
            text.unicodeScalars.append(contentsOf: chunk.text.unicodeScalars.dropFirst(from - chunk.start))
            covered = chunk.end
        }
        return text
    }

    /// Migration v2's backfill: one `documents_fts` row per stored document, its text rebuilt from
    /// its chunks with ``joined(_:)`` (a document without chunks gets an empty row).
    static func backfillDocumentsFullText(_ db: Database) throws {
        var chunksOf: [Int64: [(text: String, start: Int, end: Int)]] = [:]
        let rows = try Row.fetchCursor(db, sql: #"SELECT document_id, text, start, "end" FROM chunks"#)
        while let row = try rows.next() {
            chunksOf[row[0], default: []].append((row[1], row[2], row[3]))
        }
        let insert = try db.makeStatement(sql: "INSERT INTO documents_fts(rowid, text) VALUES (?, ?)")
        for id in try Int64.fetchAll(db, sql: "SELECT id FROM documents ORDER BY id") {
            try insert.execute(arguments: [id, joined(chunksOf[id] ?? [])])
        }
    }
}
