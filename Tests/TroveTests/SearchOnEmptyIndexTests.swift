import Foundation
import Testing
import TroveTestSupport
@testable import Trove

/// A new index has no encoder recorded and no vectors: every mode finds nothing, without error.
struct SearchOnEmptyIndexTests {
    @Test("search on a new, empty index returns no results", arguments: SearchMode.allCases)
    func emptyIndex(mode: SearchMode) throws {
        let folder = try TemporaryFolder("trove-empty")
        let trove = TroveIndex(indexFile: folder.url.appendingPathComponent("index.sqlite"),
                               models: ModelLocation(folder: Fixtures.modelsFolder))
        #expect(try trove.search("anything at all", k: 5, mode: mode).isEmpty)
    }
}
