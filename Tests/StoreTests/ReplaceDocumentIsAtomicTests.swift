import Foundation
import Testing
@testable import Store

@Suite("Replacing a document")
struct ReplaceDocumentIsAtomicTests {
    @Test("a replace removes the old chunks, vectors and full-text rows", arguments: IndexKind.allCases)
    func replaceRemovesOldRows(kind: IndexKind) throws {
        try withIndex(kind) { (database) throws in
            try SampleDocument(path: "/d/a.txt", texts: ["old walrus text", "more walrus", "third"], hash: "h1").store(in: database)
            try SampleDocument(path: "/d/b.txt", texts: ["unrelated"], hash: "h2").store(in: database)
            let stored = try SampleDocument(path: "/d/a.txt", texts: ["new penguin text"], hash: "h3").store(in: database)

            #expect(try database.document(path: "/d/a.txt")?.contentHash == "h3")
            #expect(try database.document(path: "/d/a.txt")?.id == stored.id)
            #expect(try database.chunks(documentPath: "/d/a.txt").map(\.text) == ["new penguin text"])
            #expect(try database.count("chunks") == 2)
            #expect(try database.count("vectors") == 2)
            #expect(try database.ftsRowIDs("walrus").isEmpty)
            #expect(try database.ftsRowIDs("penguin").count == 1)
            try database.checkFullTextIndex()
        }
    }

    @Test("a failing insert in the middle leaves the old document intact", arguments: IndexKind.allCases)
    func failedReplaceKeepsOld(kind: IndexKind) throws {
        try withIndex(kind) { (database) throws in
            let original = try SampleDocument(path: "/d/a.txt", texts: ["old walrus text", "more walrus"], hash: "h1").store(in: database)
            let before = try database.loadVectors()

            // Two chunks with the same ordinal: the second INSERT violates UNIQUE(document_id, ordinal)
            // after the old document was deleted and the new one and its first chunk were inserted.
            var broken = SampleDocument(path: "/d/a.txt", texts: ["new penguin", "newer penguin"], hash: "h2")
            broken.chunks[1].ordinal = 0
            #expect {
                try broken.store(in: database)
            } throws: { error in
                guard case let .sqlite(file, sql, message) = error as? StoreError else { return false }
                return file == database.location && (sql ?? "").contains("INSERT INTO chunks") && message.contains("UNIQUE")
            }

            #expect(try database.document(path: "/d/a.txt") == original)
            #expect(try database.chunks(documentPath: "/d/a.txt").map(\.text) == ["old walrus text", "more walrus"])
            #expect(try database.loadVectors() == before)
            #expect(try database.ftsRowIDs("walrus").count == 2)
            #expect(try database.ftsRowIDs("penguin").isEmpty)
            try database.checkFullTextIndex()
        }
    }

    @Test("more chunks than vectors is refused before anything is written", arguments: IndexKind.allCases)
    func countMismatchRefused(kind: IndexKind) throws {
        try withIndex(kind) { (database) throws in
            var sample = SampleDocument(path: "/d/a.txt", texts: ["one", "two"])
            sample.vectors.removeLast()
            #expect(throws: StoreError.vectorCountMismatch(file: database.location, document: "/d/a.txt", chunks: 2, vectors: 1)) {
                try sample.store(in: database)
            }
            #expect(try database.allDocuments().isEmpty)
        }
    }
}
