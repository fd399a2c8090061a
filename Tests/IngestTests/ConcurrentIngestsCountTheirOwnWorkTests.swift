import Foundation
import Testing
@testable import Ingest
@testable import Store
import TroveTestSupport

/// Two ingests of the same folder running at once (two processes, here two connections): each
/// report counts what that run wrote, so together they add every document exactly once; the
/// other run counts it unchanged.
struct ConcurrentIngestsCountTheirOwnWorkTests {
    @Test("two concurrent ingests of one folder add each document once between them", arguments: 0 ..< 5)
    func twoIngests(round: Int) throws {
        let fixture = try IngestFixture()
        let count = 12
        for n in 0 ..< count { try fixture.write("doc\(n).txt", longText("topic\(n)", sentences: 3)) }
        let path = fixture.database.location
        let reports = ReportBox()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            do {
                var pipeline = IngestPipeline(database: try IndexDatabase.open(path: path), encoder: FakeChunkEncoder())
                pipeline.embeddingBatchSize = 4     // several flushes, interleaved with the other run's
                reports.append(.success(try pipeline.ingest(paths: [fixture.corpus])))
            } catch {
                reports.append(.failure(error))
            }
        }
        let finished = try reports.all.map { try $0.get() }
        #expect(finished.count == 2)
        #expect(finished.reduce(0) { $0 + $1.added } == count, "\(finished.map { ($0.added, $0.updated, $0.unchanged) })")
        #expect(finished.reduce(0) { $0 + $1.updated } == 0)
        #expect(finished.allSatisfy { $0.added + $0.unchanged == count })
        #expect(try fixture.database.stats().documents == count)
        try fixture.expectConsistent()
    }
}

final class ReportBox: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [Result<IngestReport, any Error>] = []
    func append(_ report: Result<IngestReport, any Error>) { lock.withLock { reports.append(report) } }
    var all: [Result<IngestReport, any Error>] { lock.withLock { reports } }
}
