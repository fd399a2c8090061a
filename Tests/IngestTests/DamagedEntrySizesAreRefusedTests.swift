import Foundation
import Testing
import TroveTestSupport
@testable import Ingest

/// Found by the `zip` fuzz target (input Fuzz/Regressions/zip/damagedEntrySizesAreRefused, an ODT
/// whose `styles.xml` claims more compressed bytes than the file holds): ZIPFoundation kept
/// reading past the end of the file for ever, so the ingest hung. Such an entry is now refused.
@Suite("Damaged entry sizes are refused")
struct DamagedEntrySizesAreRefusedTests {
    @Test("an entry claiming more compressed bytes than the archive holds is a corrupt archive, at once")
    func fuzzInput() throws {
        let input = Fixtures.repositoryRoot.appendingPathComponent("Fuzz/Regressions/zip/damagedEntrySizesAreRefused")
        let folder = try TemporaryFolder()
        let file = try folder.write("pages.odt", try Fixtures.required(input))
        let started = Date()
        let error = try BrokenArchivesAreRefusedTests.loaderError(file)
        guard case let .corruptArchive(_, problem) = error else { Issue.record("got \(error)"); return }
        #expect(problem.contains("compressed bytes, more than the whole archive (9160 bytes): the data is damaged"), "\(problem)")
        #expect(Date().timeIntervalSince(started) < 5)
    }
}
