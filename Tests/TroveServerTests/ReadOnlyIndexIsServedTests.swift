import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Trove
import TroveTestSupport
@testable import TroveServer

/// `trove serve` over an index file that cannot be written: searches are answered, and an ingest
/// gets 403 `index_read_only` (not a 500 from SQLite). As root the file is made immutable
/// (`chattr +i`), which stops root too; otherwise its write permission is removed.
struct ReadOnlyIndexIsServedTests {
    static func protect(_ path: String, undo: Bool = false) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: getuid() == 0 ? "/usr/bin/chattr" : "/bin/chmod")
        process.arguments = getuid() == 0 ? [undo ? "-i" : "+i", path] : [undo ? "u+w" : "a-w", path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(process.executableURL!.path) \(process.arguments!) failed")
    }

    @Test("a read-only index answers searches, and refuses an ingest with 403")
    func readOnlyIndex() async throws {
        let fixture = try ServerFixture()
        let indexFile = try #require(fixture.trove.indexFile)
        try Self.protect(indexFile.path)
        defer { try? Self.protect(indexFile.path, undo: true) }
        let readOnly = TroveIndex(indexFile: indexFile, models: fixture.trove.models)
        let server = TroveServer(trove: readOnly, configuration: fixture.configuration)
        let docs = fixture.folder.url.appendingPathComponent("docs").path
        try await server.makeApplication().test(.live) { client in
            let search = try await client.post("/v1/search", #"{"query": "when was the lighthouse first lit", "k": 1}"#)
            #expect(search.status == .ok, "\(String(buffer: search.body))")
            let ingest = try await client.post("/v1/documents", #"{"path": "\#(docs)"}"#)
            #expect(ingest.status == .forbidden, "\(String(buffer: ingest.body))")
            let error = try #require(try ingest.json()["error"] as? [String: Any])
            #expect(error["code"] as? String == "index_read_only")
        }
    }

    @Test("serve --read-only writes nothing beside a writable index: no vector file, the index unchanged")
    func readOnlyFlagWritesNothing() async throws {
        let fixture = try ServerFixture()
        let indexFile = try #require(fixture.trove.indexFile)
        let vectors = indexFile.path + "-vectors"
        try? FileManager.default.removeItem(atPath: vectors)
        let before = try Data(contentsOf: indexFile)
        var configuration = fixture.configuration
        configuration.readOnly = true
        let readOnly = TroveIndex(indexFile: indexFile, models: fixture.trove.models, readOnly: true)
        _ = try readOnly.preload()
        let server = TroveServer(trove: readOnly, configuration: configuration)
        try await server.makeApplication().test(.live) { client in
            let search = try await client.post("/v1/search", #"{"query": "when was the lighthouse first lit", "k": 3}"#)
            #expect(search.status == .ok, "\(String(buffer: search.body))")
            #expect((try search.json()["results"] as? [Any])?.count == 3)
        }
        #expect(!FileManager.default.fileExists(atPath: vectors), "serve --read-only created \(vectors)")
        #expect(try Data(contentsOf: indexFile) == before)
    }
}
