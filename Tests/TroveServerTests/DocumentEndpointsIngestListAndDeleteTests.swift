import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Trove
@testable import TroveServer

@Suite("/v1/documents", .serialized)
struct DocumentEndpointsIngestListAndDeleteTests {
    let fixture: ServerFixture

    init() throws { fixture = try ServerFixture() }

    @Test("text sent in the body is stored, searchable at once, listed, and deleted with its file")
    func textLifecycle() async throws {
        try await fixture.withServer { client in
            let added = try await client.post("/v1/documents", #"{"text": "The walrus of Skerrow sleeps on the northern rocks.", "name": "notes/walrus log.md"}"#).json()
            let path = try #require(added["path"] as? String)
            #expect(path.hasSuffix(".uploads/walrus_log.md"))
            #expect((added["report"] as? [String: Any])?["added"] as? Int == 1)
            #expect(FileManager.default.fileExists(atPath: path))

            let found = try await client.post("/v1/search", #"{"query": "walrus", "k": 1, "mode": "keyword"}"#).decode(SearchOutput.self)
            #expect(found.results.first?.path == path)

            let listed = try await client.get("/v1/documents").json()
            let documents = try #require(listed["documents"] as? [[String: Any]])
            #expect(documents.count == 4)
            let id = try #require(documents.first { $0["path"] as? String == path }?["id"] as? Int)

            let removed = try await client.execute(uri: "/v1/documents/\(id)", method: .delete)
            #expect(removed.status == .ok)
            #expect(!FileManager.default.fileExists(atPath: path))
            let again = try await client.execute(uri: "/v1/documents/\(id)", method: .delete)
            #expect(again.status == .notFound)
            #expect(try again.errorMessage().contains("no document with id \(id)"))
            let after = try await client.post("/v1/search", #"{"query": "walrus", "k": 1, "mode": "keyword"}"#).decode(SearchOutput.self)
            #expect(after.results.isEmpty)
        }
    }

    @Test("a path on the server is ingested; a missing or relative path is refused")
    func pathIngest() async throws {
        let extra = try fixture.folder.write("more/tide.txt", "Spring tides come at full and new moon.\n")
        try await fixture.withServer { client in
            let added = try await client.post("/v1/documents", #"{"path": "\#(extra.deletingLastPathComponent().path)"}"#).json()
            #expect((added["report"] as? [String: Any])?["added"] as? Int == 1)
            let missing = try await client.post("/v1/documents", #"{"path": "/no/such/folder"}"#)
            #expect(missing.status == .notFound)
            let relative = try await client.post("/v1/documents", #"{"path": "docs"}"#)
            #expect(relative.status == .badRequest)
            let both = try await client.post("/v1/documents", #"{"path": "/tmp", "text": "x"}"#)
            #expect(try both.errorMessage().contains("not both"))
            let badID = try await client.execute(uri: "/v1/documents/abc", method: .delete)
            #expect(badID.status == .badRequest)
        }
    }

    @Test("posted documents go into a collection (named, the folder's, or uploads), and searches keep to it")
    func collections() async throws {
        let extra = try fixture.folder.write("more/tide.txt", "Spring tides come at full and new moon.\n")
        try await fixture.withServer { client in
            _ = try await client.post("/v1/documents", #"{"text": "The walrus of Skerrow sleeps on the northern rocks."}"#)
            _ = try await client.post("/v1/documents", #"{"path": "\#(extra.deletingLastPathComponent().path)"}"#)
            _ = try await client.post("/v1/documents", #"{"text": "Walrus tusks grow all their lives.", "name": "tusks.txt", "collection": "zoology"}"#)
            let listed = try await client.get("/v1/documents").json()
            let documents = try #require(listed["documents"] as? [[String: Any]])
            let collection = { (suffix: String) in documents.first { ($0["path"] as? String)?.hasSuffix(suffix) == true }?["collection"] as? String }
            #expect(collection("tide.txt") == "more")
            #expect(collection("tusks.txt") == "zoology")
            #expect(collection("gannet.md") == "docs")
            #expect(documents.filter { $0["collection"] as? String == "uploads" }.count == 1)

            let found = try await client.post("/v1/search", #"{"query": "walrus", "k": 5, "mode": "keyword", "filter": {"collections": ["zoology"]}}"#)
                .decode(SearchOutput.self)
            #expect(found.results.map { ($0.path as NSString).lastPathComponent } == ["tusks.txt"])
            let none = try await client.post("/v1/search", #"{"query": "walrus", "filter": {"collections": ["botany"]}}"#)
            #expect(none.status == .badRequest)
            #expect(try none.errorMessage().contains("--collection botany"))
            let empty = try await client.post("/v1/documents", #"{"text": "x", "collection": ""}"#)
            #expect(empty.status == .badRequest)
        }
    }

    @Test("--read-only refuses ingest and delete with 403, and still searches")
    func readOnly() async throws {
        fixture.configuration.readOnly = true
        try await fixture.withServer { client in
            let add = try await client.post("/v1/documents", #"{"text": "x"}"#)
            #expect(add.status == .forbidden)
            #expect(try add.errorMessage().contains("read-only"))
            #expect(try await client.execute(uri: "/v1/documents/1", method: .delete).status == .forbidden)
            #expect(try await client.post("/v1/search", #"{"query": "bread"}"#).status == .ok)
            #expect(try await client.get("/v1/documents").status == .ok)
        }
        #expect(try fixture.trove.documents().count == 3)
    }

    @Test("searches keep being answered, from a consistent index, while an ingest runs")
    func searchDuringIngest() async throws {
        for i in 0..<40 {
            try fixture.folder.write("bulk/note\(i).txt", "Bulk note \(i) about the keeper's log, the fog signal and the weather on day \(i).\n")
        }
        let bulk = fixture.folder.url.appendingPathComponent("bulk").path
        try await fixture.withServer { client in
            try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask {
                    let response = try await client.post("/v1/documents", #"{"path": "\#(bulk)"}"#)
                    return response.status == .ok ? -1 : -2
                }
                group.addTask {
                    var answered = 0
                    for _ in 0..<20 {
                        let response = try await client.post("/v1/search", #"{"query": "sourdough bread", "k": 3}"#)
                        let output = try response.decode(SearchOutput.self)
                        // Every result is a whole, existing passage; the bread document stays first.
                        if response.status == .ok, output.results.first?.path.hasSuffix("bread.txt") == true,
                           output.results.allSatisfy({ !$0.text.isEmpty }) { answered += 1 }
                    }
                    return answered
                }
                var results: [Int] = []
                for try await value in group { results.append(value) }
                #expect(results.sorted() == [-1, 20])
            }
            let stats = try await client.get("/v1/stats").json()
            #expect(stats["documents"] as? Int == 43)
        }
    }
}
