import Foundation
import Testing
import TroveTestSupport
@testable import Trove

/// A new index (made by ingesting an empty folder) has no encoder recorded and no vectors: every
/// mode finds nothing, without error. An index file that does not exist is an error, and reading
/// commands leave no file behind.
struct SearchOnEmptyIndexTests {
    @Test("search on a new, empty index returns no results", arguments: SearchMode.allCases)
    func emptyIndex(mode: SearchMode) throws {
        let folder = try TemporaryFolder("trove-empty")
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("nothing"), withIntermediateDirectories: true)
        let trove = TroveIndex(indexFile: folder.url.appendingPathComponent("index.sqlite"),
                               models: ModelLocation(folder: Fixtures.modelsFolder))
        _ = try trove.ingest([folder.url.appendingPathComponent("nothing")])
        #expect(try trove.search("anything at all", k: 5, mode: mode).isEmpty)
    }

    @Test("reading an index that does not exist says how to make one and creates nothing")
    func missingIndex() throws {
        let folder = try TemporaryFolder("trove-missing")
        let file = folder.url.appendingPathComponent("none.sqlite")
        let trove = TroveIndex(indexFile: file, models: ModelLocation(folder: Fixtures.modelsFolder))
        for read in [{ _ = try trove.search("x", k: 1) }, { _ = try trove.stats() }, { _ = try trove.documents() },
                     { _ = try trove.ask("x") }] as [() throws -> Void] {
            let error = try #require(throws: TroveError.self) { try read() }
            #expect(error.underlying is IndexNotFound)
            #expect("\(error)".contains("trove ingest FOLDER --index \(file.path)"))
        }
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }
}
