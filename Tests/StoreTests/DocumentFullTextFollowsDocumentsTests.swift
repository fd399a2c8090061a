import Foundation
import Testing
@testable import Store
import GRDB

/// `documents_fts` holds one row per document (rowid = documents.id) with its whole text, and
/// follows every write: insert, replace, move, delete.
@Suite("Document full text")
struct DocumentFullTextFollowsDocumentsTests {
    @Test("the whole-document index follows insert, replace, move and delete", arguments: IndexKind.allCases)
    func followsWrites(kind: IndexKind) throws {
        try withIndex(kind) { (database) throws in
            let first = try SampleDocument(path: "/d/a.txt", texts: ["The walrus lives on ice", "and eats clams"]).store(in: database)
            try SampleDocument(path: "/d/b.txt", texts: ["A penguin swims"]).store(in: database)
            #expect(try database.documentKeywordSearch("walrus clams", limit: 10)
                .map { [$0.documentID, $0.path] as [AnyHashable] } == [[first.id!, "/d/a.txt"]])
            #expect(try database.documentText(id: first.id!) == "The walrus lives on ice and eats clams")

            // Replace: a new id, the old text gone from the index.
            let second = try SampleDocument(path: "/d/a.txt", texts: ["Only seals now"]).store(in: database)
            #expect(try database.documentKeywordSearch("walrus", limit: 10).isEmpty)
            #expect(try database.documentKeywordSearch("seal", limit: 10).map(\.documentID) == [second.id!])
            #expect(try database.count("documents_fts") == 2)

            // Move: same id and row, new path.
            try database.moveDocument(from: "/d/a.txt", to: "/e/c.txt")
            #expect(try database.documentKeywordSearch("seals", limit: 10).map(\.path) == ["/e/c.txt"])

            // The loaded text, when given, is stored as is.
            try database.replaceDocument(Document(path: "/d/b.txt", contentHash: "h", size: 1, mtime: 1, format: "text"),
                                         chunks: [Chunk(ordinal: 0, text: "A penguin", start: 0, end: 9, tokenCount: 2)],
                                         vectors: [[0, 1, 2, 3]], text: "A penguin\n\nswims with a narwhal")
            #expect(try database.documentKeywordSearch("narwhal", limit: 10).map(\.path) == ["/d/b.txt"])

            #expect(try database.removeDocuments(paths: ["/e/c.txt", "/d/b.txt"]) == 2)
            #expect(try database.count("documents_fts") == 0)
            #expect(try database.documentKeywordSearch("seals penguin narwhal", limit: 10).isEmpty)
            try database.write { db in try db.execute(sql: "INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)") }
        }
    }

    @Test("documents rank by BM25 over their whole text; their chunks can be searched alone", arguments: IndexKind.allCases)
    func ranking(kind: IndexKind) throws {
        try withIndex(kind) { (database) throws in
            // Per chunk, b's single "walrus" chunk is short and would rank first; per document, a says it twice.
            let a = try SampleDocument(path: "/d/a.txt", texts: ["walrus facts", "walrus habitat and diet"]).store(in: database)
            let b = try SampleDocument(path: "/d/b.txt", texts: ["walrus", "penguin colonies far south, penguin diet"]).store(in: database)
            // Documents without the word, so that its idf is positive (FTS5 floors a negative idf at 1e-6).
            for name in ["c", "d", "e"] { try SampleDocument(path: "/d/\(name).txt", texts: ["seals and otters"]).store(in: database) }
            let hits = try database.documentKeywordSearch("Where does the walrus live?", limit: 10)
            #expect(hits.map(\.documentID) == [a.id!, b.id!])
            #expect(hits.allSatisfy { $0.score > 0 } && hits[0].score > hits[1].score)
            #expect(try database.documentKeywordSearch("walrus", limit: 1).count == 1)
            #expect(try database.documentKeywordSearch("walrus", limit: 0).isEmpty)

            let chunksOfB = try database.chunks(documentPath: "/d/b.txt").map { $0.id! }
            #expect(Set(try database.chunkIDs(ofDocuments: [b.id!]).keys) == Set(chunksOfB))
            #expect(Set(try database.documentIDs(ofChunks: chunksOfB + [987_654]).values) == [b.id!])
            let matchesOfB = try database.keywordMatches("walrus diet", in: .passages).filter { chunksOfB.contains($0.id) }
            #expect(Set(matchesOfB.map(\.id)) == Set(chunksOfB))
            let documentMatches = try database.keywordMatches("Where does the walrus live?", in: .documents)
            #expect(Set(documentMatches.map(\.id)) == Set(hits.map(\.documentID)))
            #expect(documentMatches.allSatisfy { match in hits.contains { $0.documentID == match.id && $0.score == match.score } })
        }
    }
}

extension IndexDatabase {
    /// The text `documents_fts` holds for document `id`.
    func documentText(id: Int64) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT text FROM documents_fts WHERE rowid = ?", arguments: [id]) }
    }
}
