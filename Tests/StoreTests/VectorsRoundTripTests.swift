import Foundation
import Testing
@testable import Store
import GRDB

@Suite("Vectors")
struct VectorsRoundTripTests {
    @Test("a BLOB is float32 little-endian, 4 bytes per value")
    func blobLayout() throws {
        let data = VectorBlob.data(from: [1, -2, 0.5])
        #expect([UInt8](data) == [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x3F])
        #expect(VectorBlob.vector(from: data) == [1, -2, 0.5])
        #expect(VectorBlob.vector(from: Data([1, 2, 3])) == nil)
    }

    @Test("loadVectors returns every vector row-major, by chunk id", arguments: IndexKind.allCases)
    func loadAll(kind: IndexKind) throws {
        try withIndex(kind) { (database) throws in
            try SampleDocument(path: "/d/a.txt", texts: ["a0", "a1"]).store(in: database)
            try SampleDocument(path: "/d/b.txt", texts: ["b0", "b1", "b2"]).store(in: database)
            let loaded = try database.loadVectors()
            #expect(loaded.dimension == 4)
            #expect(loaded.chunkIDs == loaded.chunkIDs.sorted() && loaded.chunkIDs.count == 5)
            #expect(loaded.values == [0, 1, 2, 3, 10, 11, 12, 13, 0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23])
            #expect(try database.vector(chunkID: loaded.chunkIDs[4]) == [20, 21, 22, 23])
            let chunks = try database.chunks(ids: loaded.chunkIDs.reversed() + [999_999])
            #expect(chunks.map(\.chunk.text) == ["b2", "b1", "b0", "a1", "a0"])
            #expect(chunks.first?.documentPath == "/d/b.txt" && chunks.first?.documentTitle == "b.txt")
            #expect(chunks.first?.documentFormat == "text")
        }
    }

    @Test("a corrupt BLOB is reported with its chunk id", arguments: IndexKind.allCases)
    func corruptBlob(kind: IndexKind) throws {
        try withIndex(kind) { (database) throws in
            try SampleDocument(path: "/d/a.txt", texts: ["a0"]).store(in: database)
            let id = try database.loadVectors().chunkIDs[0]
            try database.write { db in
                try db.execute(sql: "DROP TRIGGER vectors_check_dimension")
                try db.execute(sql: "UPDATE vectors SET embedding = x'0000803F' WHERE chunk_id = ?", arguments: [id])
            }
            #expect(throws: StoreError.corruptVector(file: database.location, chunkID: id, bytes: 4, expectedBytes: 16)) {
                _ = try database.loadVectors()
            }
        }
    }

    @Test("an index without an encoder has no vectors", arguments: IndexKind.allCases)
    func empty(kind: IndexKind) throws {
        try withIndex(kind, dimension: nil) { (database) throws in
            #expect(try database.loadVectors() == StoredVectors(chunkIDs: [], values: [], dimension: 0))
        }
    }
}
