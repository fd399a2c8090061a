import Foundation
import Testing
@testable import Store
import GRDB

@Suite("Encoder identity")
struct EncoderIdentityMismatchIsRefusedTests {
    @Test("the first encoder is recorded and the same one is accepted again", arguments: IndexKind.allCases)
    func sameEncoderAccepted(kind: IndexKind) throws {
        let index = try TestIndex(kind, identity: "all-MiniLM-L6-v2@abc", dimension: 384)
        try index.database.ensureEncoder(identity: "all-MiniLM-L6-v2@abc", dimension: 384)
        #expect(try index.database.recordedEncoder() == EncoderIdentity(identity: "all-MiniLM-L6-v2@abc", dimension: 384))
        let metadata = try index.database.metadata()
        #expect(metadata["encoder_identity"] == "all-MiniLM-L6-v2@abc")
        #expect(metadata["dimension"] == "384")
    }

    @Test("another identity or dimension is refused naming the file, stored and given",
          arguments: IndexKind.allCases, [("other-model@def", 384), ("all-MiniLM-L6-v2@abc", 768)])
    func otherEncoderRefused(kind: IndexKind, given: (identity: String, dimension: Int)) throws {
        let index = try TestIndex(kind, identity: "all-MiniLM-L6-v2@abc", dimension: 384)
        let expected = StoreError.encoderMismatch(file: index.database.location, storedIdentity: "all-MiniLM-L6-v2@abc",
                                                  storedDimension: 384, givenIdentity: given.identity,
                                                  givenDimension: given.dimension)
        #expect(throws: expected) {
            try index.database.ensureEncoder(identity: given.identity, dimension: given.dimension)
        }
        let message = expected.description
        #expect(message.contains(index.database.location) && message.contains("all-MiniLM-L6-v2@abc")
            && message.contains(given.identity) && message.contains("\(given.dimension)"))
        #expect(try index.database.recordedEncoder()?.dimension == 384)
    }

    @Test("vectors cannot be written before an encoder is recorded", arguments: IndexKind.allCases)
    func vectorsNeedEncoder(kind: IndexKind) throws {
        let index = try TestIndex(kind, dimension: nil)
        #expect(throws: StoreError.encoderNotRecorded(file: index.database.location, document: "/a.txt")) {
            try SampleDocument(path: "/a.txt", texts: ["one"]).store(in: index.database)
        }
    }

    @Test("a vector of another dimension is refused, by Swift and by the schema's trigger", arguments: IndexKind.allCases)
    func wrongDimensionRefused(kind: IndexKind) throws {
        let index = try TestIndex(kind)
        var sample = SampleDocument(path: "/a.txt", texts: ["one", "two"])
        sample.vectors[1] = [1, 2, 3]
        #expect(throws: StoreError.dimensionMismatch(file: index.database.location, document: "/a.txt",
                                                     chunk: 1, expected: 4, found: 3)) {
            try sample.store(in: index.database)
        }
        // A writer that bypasses the Swift check (any SQLite client) is stopped by the trigger.
        try SampleDocument(path: "/b.txt", texts: ["three"]).store(in: index.database)
        #expect(throws: StoreError.self) {
            try index.database.write { db in
                try db.execute(sql: "DELETE FROM vectors")
                try db.execute(sql: "INSERT INTO vectors(chunk_id, embedding) SELECT id, x'00000000' FROM chunks")
            }
        }
        #expect(try index.database.count("vectors") == 1)
    }
}
