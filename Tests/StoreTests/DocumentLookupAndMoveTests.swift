import Foundation
import Testing
@testable import Store

@Suite("Finding and moving documents")
struct DocumentLookupAndMoveTests {
    @Test("documents under a folder match whole path components only", arguments: IndexKind.allCases)
    func underFolder(kind: IndexKind) throws {
        try withIndex(kind) { (database) throws in
            for path in ["/d/a.txt", "/d/sub/b.txt", "/d_x/c.txt", "/d%/e.txt", "/d0.txt", "/dd/f.txt", "/d/corpus.jsonl#7"] {
                try SampleDocument(path: path, texts: ["t"]).store(in: database)
            }
            #expect(try database.documents(under: "/d").map(\.path) == ["/d/a.txt", "/d/corpus.jsonl#7", "/d/sub/b.txt"])
            #expect(try database.documents(under: "/d/").map(\.path) == ["/d/a.txt", "/d/corpus.jsonl#7", "/d/sub/b.txt"])
            #expect(try database.documents(under: "/d_x").map(\.path) == ["/d_x/c.txt"])
            #expect(try database.documents(under: "/").count == 7)
            #expect(try database.allDocuments().count == 7)
        }
    }

    @Test("documents are found by content hash and by source file", arguments: IndexKind.allCases)
    func byHashAndFile(kind: IndexKind) throws {
        try withIndex(kind) { (database) throws in
            try SampleDocument(path: "/d/a.txt", texts: ["t"], hash: "same").store(in: database)
            try SampleDocument(path: "/e/a.txt", texts: ["t"], hash: "same").store(in: database)
            var record = SampleDocument(path: "/d/c.jsonl#1", texts: ["t"], hash: "other")
            record.document.filePath = "/d/c.jsonl"
            try record.store(in: database)
            #expect(try database.documents(contentHash: "same").map(\.path) == ["/d/a.txt", "/e/a.txt"])
            #expect(try database.documents(inFile: "/d/c.jsonl").map(\.path) == ["/d/c.jsonl#1"])
            #expect(try database.documents(inFile: "/d/a.txt").map(\.path) == ["/d/a.txt"])
        }
    }

    @Test("a move keeps chunks and vectors under the new path", arguments: IndexKind.allCases)
    func move(kind: IndexKind) throws {
        try withIndex(kind) { (database) throws in
            let original = try SampleDocument(path: "/d/a.txt", texts: ["walrus", "penguin"]).store(in: database)
            let vectorsBefore = try database.loadVectors()
            let chunksBefore = try database.chunks(documentPath: "/d/a.txt")

            let moved = try database.moveDocument(from: "/d/a.txt", to: "/e/b.txt", mtime: 42)
            #expect(moved.id == original.id && moved.path == "/e/b.txt" && moved.filePath == "/e/b.txt" && moved.mtime == 42)
            #expect(try database.document(path: "/d/a.txt") == nil)
            #expect(try database.document(path: "/e/b.txt") == moved)
            #expect(try database.chunks(documentPath: "/e/b.txt") == chunksBefore)
            #expect(try database.loadVectors() == vectorsBefore)
            #expect(try database.chunks(ids: vectorsBefore.chunkIDs).allSatisfy { $0.documentPath == "/e/b.txt" })
        }
    }

    @Test("moving a missing document or onto a stored path is refused", arguments: IndexKind.allCases)
    func moveRefused(kind: IndexKind) throws {
        try withIndex(kind) { (database) throws in
            try SampleDocument(path: "/d/a.txt", texts: ["t"]).store(in: database)
            try SampleDocument(path: "/d/b.txt", texts: ["t"]).store(in: database)
            #expect(throws: StoreError.documentNotFound(file: database.location, path: "/d/zzz.txt")) {
                try database.moveDocument(from: "/d/zzz.txt", to: "/d/c.txt")
            }
            #expect(throws: StoreError.pathTaken(file: database.location, path: "/d/b.txt")) {
                try database.moveDocument(from: "/d/a.txt", to: "/d/b.txt")
            }
        }
    }

    @Test("touching a file updates size and mtime only", arguments: IndexKind.allCases)
    func touch(kind: IndexKind) throws {
        try withIndex(kind) { (database) throws in
            let stored = try SampleDocument(path: "/d/a.txt", texts: ["t"]).store(in: database)
            try database.updateFileState(filePath: "/d/a.txt", size: 7, mtime: 99)
            var expected = stored
            expected.size = 7
            expected.mtime = 99
            #expect(try database.document(path: "/d/a.txt") == expected)
        }
    }
}
