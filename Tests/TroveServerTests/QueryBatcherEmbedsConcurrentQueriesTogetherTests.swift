import Foundation
import Synchronization
import Testing
@testable import TroveServer

@Suite("concurrent searches share encoder passes")
struct QueryBatcherEmbedsConcurrentQueriesTogetherTests {
    /// Batch sizes seen by the fake encoder.
    final class Passes: Sendable {
        let sizes = Mutex<[Int]>([])
    }

    @Test("queries that arrive during a pass are embedded together in the next, each getting its own vector")
    func batchesWhileBusy() async throws {
        let passes = Passes()
        let batcher = QueryBatcher { queries in
            passes.sizes.withLock { $0.append(queries.count) }
            Thread.sleep(forTimeInterval: 0.05)                       // a pass takes a while
            return queries.map { [Float($0.count), Float($0.utf8.first ?? 0)] }
        }
        let queries = (1...12).map { String(repeating: "q", count: $0) }
        let vectors = try await withThrowingTaskGroup(of: (String, [Float]).self) { group in
            for query in queries { group.addTask { (query, try await batcher.vector(for: query)) } }
            var all: [String: [Float]] = [:]
            for try await (query, vector) in group { all[query] = vector }
            return all
        }
        for query in queries { #expect(vectors[query] == [Float(query.count), Float(UInt8(ascii: "q"))]) }
        let sizes = passes.sizes.withLock { $0 }
        #expect(sizes.reduce(0, +) == 12)
        #expect(sizes.count < 12, "passes: \(sizes)")                  // some queries shared a pass
    }

    @Test("a failed pass fails each of its queries, and the next pass runs")
    func failures() async throws {
        struct Broken: Error {}
        let calls = Mutex(0)
        let batcher = QueryBatcher { queries in
            let first = calls.withLock { $0 += 1; return $0 == 1 }
            if first { throw Broken() }
            return queries.map { _ in [1] }
        }
        await #expect(throws: Broken.self) { try await batcher.vector(for: "a") }
        #expect(try await batcher.vector(for: "b") == [1])
    }
}
