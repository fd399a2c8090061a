import Dispatch
import Foundation
import Testing
@testable import Store
import GRDB
import TroveTestSupport

@Suite("Concurrent reader and writer")
struct ReaderSeesConsistentSnapshotTests {
    @Test("a read transaction keeps seeing the state it started with while a writer commits")
    func snapshotIsolation() throws {
        try withIndex(.walFile) { (database) throws in
            try SampleDocument(path: "/d/a.txt", texts: ["one", "two", "three"]).store(in: database)

            let writerDone = DispatchSemaphore(value: 0)
            let writerErrors = Failures()
            let (before, during) = try database.read { db -> ((Int, Int), (Int, Int)) in
                let counts = { (try Int.fetchOne(db, sql: "SELECT count(*) FROM chunks") ?? -1,
                                try Int.fetchOne(db, sql: "SELECT count(*) FROM vectors") ?? -1) }
                let before = try counts()
                // The writer runs on another thread and commits while this read transaction is open.
                DispatchQueue.global().async {
                    do {
                        try SampleDocument(path: "/d/a.txt", texts: ["only one"]).store(in: database)
                        try SampleDocument(path: "/d/b.txt", texts: ["x", "y", "z", "w"]).store(in: database)
                    } catch { writerErrors.add("\(error)") }
                    writerDone.signal()
                }
                writerDone.wait()
                return (before, try counts())
            }
            #expect(writerErrors.messages.isEmpty)
            #expect(before == (3, 3))
            #expect(during == (3, 3))
            let after = try database.stats()
            #expect(after.chunks == 5 && after.vectors == 5 && after.documents == 2)
        }
    }

    @Test("loadVectors and chunk lookups from many threads during writes stay consistent")
    func concurrentLoads() throws {
        try withIndex(.walFile) { (database) throws in
            try SampleDocument(path: "/d/seed.txt", texts: ["seed"]).store(in: database)
            let failures = Failures()
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) {
                for i in 0..<40 {
                    do { try SampleDocument(path: "/d/\(i % 5).txt", texts: (0...(i % 7)).map { "w\($0)" }).store(in: database) }
                    catch { failures.add("writer: \(error)") }
                }
            }
            for _ in 0..<3 {
                DispatchQueue.global().async(group: group) {
                    for _ in 0..<40 {
                        do {
                            let vectors = try database.loadVectors()
                            if vectors.values.count != vectors.chunkIDs.count * 4 { failures.add("ragged vectors") }
                            // Some chunks may be gone by now (later snapshot): only the ones found must be whole.
                            for chunk in try database.chunks(ids: vectors.chunkIDs) where chunk.chunk.text.isEmpty {
                                failures.add("empty chunk \(chunk.id)")
                            }
                        } catch { failures.add("reader: \(error)") }
                    }
                }
            }
            group.wait()
            #expect(failures.messages.isEmpty)
            let stats = try database.stats()
            #expect(stats.chunks == stats.vectors)
        }
    }
}

/// Messages collected from several threads.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ message: String) { lock.lock(); list.append(message); lock.unlock() }
    var messages: [String] { lock.lock(); defer { lock.unlock() }; return list }
}
