import Foundation
import Testing
@testable import Store

@Suite("Removing documents")
struct CascadeDeleteRemovesVectorsAndFullTextTests {
    @Test("removing a document removes its chunks, vectors and full-text rows", arguments: IndexKind.allCases)
    func cascade(kind: IndexKind) throws {
        try withIndex(kind) { (database) throws in
            try SampleDocument(path: "/d/a.txt", texts: ["walrus one", "walrus two"]).store(in: database)
            try SampleDocument(path: "/d/b.txt", texts: ["penguin"]).store(in: database)

            #expect(try database.removeDocument(path: "/d/a.txt"))
            #expect(try database.removeDocument(path: "/d/a.txt") == false)
            #expect(try database.count("chunks") == 1)
            #expect(try database.count("vectors") == 1)
            #expect(try database.ftsRowIDs("walrus").isEmpty)
            #expect(try database.keywordSearch("walrus", limit: 10).isEmpty)
            #expect(try database.keywordSearch("penguin", limit: 10).count == 1)
            try database.checkFullTextIndex()
        }
    }

    @Test("removing several paths is one call that counts what was there", arguments: IndexKind.allCases)
    func removeMany(kind: IndexKind) throws {
        try withIndex(kind) { (database) throws in
            for name in ["a", "b", "c"] { try SampleDocument(path: "/d/\(name).txt", texts: [name + " text"]).store(in: database) }
            #expect(try database.removeDocuments(paths: ["/d/a.txt", "/d/c.txt", "/d/missing.txt"]) == 2)
            #expect(try database.allDocuments().map(\.path) == ["/d/b.txt"])
            #expect(try database.stats().vectors == 1)
        }
    }
}
