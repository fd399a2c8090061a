import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Trove
@testable import TroveServer

@Suite("POST /v1/search and the JSON errors every endpoint shares", .serialized)
struct SearchEndpointAnswersLikeTheCLITests {
    let fixture: ServerFixture

    init() throws { fixture = try ServerFixture() }

    @Test("a search returns the shape and results of `trove search --json`")
    func searchMatchesLibrary() async throws {
        let expected = try fixture.trove.search("when was the lighthouse first lit", k: 2, mode: .hybrid)
        try await fixture.withServer { client in
            let response = try await client.post("/v1/search", #"{"query": "when was the lighthouse first lit", "k": 2}"#)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let output = try response.decode(SearchOutput.self)
            #expect(output.mode == .hybrid)
            #expect(output.results == expected)
            #expect(output.results.first?.path.hasSuffix("gannet.md") == true)
        }
    }

    @Test("mode keyword and dense are honoured")
    func modes() async throws {
        try await fixture.withServer { client in
            for mode in ["dense", "keyword"] {
                let output = try await client.post("/v1/search", #"{"query": "sourdough", "mode": "\#(mode)"}"#).decode(SearchOutput.self)
                #expect(output.mode.rawValue == mode)
                #expect(output.results.first?.path.hasSuffix("bread.txt") == true)
            }
        }
    }

    @Test("bad requests get a 4xx with a JSON error naming the problem", arguments: [
        (#"{"query": "x""#, 400, "not valid JSON"),
        ("", 400, "empty"),
        ("[1, 2]", 400, "must be a JSON object"),
        (#"{"k": 3}"#, 400, "missing field `query`"),
        (#"{"query": 42}"#, 400, "field `query` must be a string"),
        (#"{"query": "x", "k": "three"}"#, 400, "field `k` must be an integer"),
        (#"{"query": "x", "k": 0}"#, 400, "field `k` must be between 1 and 100"),
        (#"{"query": "x", "k": 1000}"#, 400, "field `k` must be between 1 and 100"),
        (#"{"query": "x", "mode": "fuzzy"}"#, 400, "field `mode` must be dense, keyword or hybrid"),
        (#"{"query": "   "}"#, 400, "field `query` is empty"),
        (#"{"query": null}"#, 400, "field `query` must be a string, not null"),
    ])
    func badRequests(body: String, status: Int, message: String) async throws {
        try await fixture.withServer { client in
            let response = try await client.post("/v1/search", body)
            #expect(response.status.code == status)
            #expect(try response.errorMessage().contains(message), "\(String(buffer: response.body))")
            #expect(try response.json()["error"].flatMap { ($0 as? [String: Any])?["type"] as? String } == "invalid_request_error")
        }
    }

    @Test("a body over the size limit gets 413, and the server goes on answering")
    func bodyLimit() async throws {
        fixture.configuration.maxBodyBytes = 4096
        try await fixture.withServer { client in
            let big = #"{"query": "\#(String(repeating: "a", count: 10_000))"}"#
            let response = try await client.post("/v1/search", big)
            #expect(response.status == .contentTooLarge)
            #expect(try response.errorMessage().contains("larger than 4096 bytes"))
        }
        try await fixture.withServer { client in
            let response = try await client.post("/v1/search", #"{"query": "bread"}"#)
            #expect(response.status == .ok)
        }
    }

    @Test("FTS5 syntax and odd text in a query are only text")
    func hostileQueries() async throws {
        try await fixture.withServer { client in
            for query in [#"NEAR(\"a\" b) AND *"#, "\\u0000", "🚢⚓️", #"\"unterminated"#, "-", String(repeating: "x ", count: 5000)] {
                let response = try await client.post("/v1/search", #"{"query": "\#(query)", "mode": "keyword"}"#)
                #expect(response.status == .ok, "\(query): \(String(buffer: response.body))")
            }
        }
    }

    @Test("an unknown path gets a JSON 404, GET /health answers, /v1/stats counts the index")
    func statusEndpoints() async throws {
        try await fixture.withServer { client in
            let missing = try await client.get("/v1/nothing")
            #expect(missing.status == .notFound)
            #expect(try missing.errorMessage().contains("/v1/nothing"))
            #expect(try await client.get("/health").json()["status"] as? String == "ok")
            let stats = try await client.get("/v1/stats").json()
            #expect(stats["documents"] as? Int == 3)
            #expect((stats["server"] as? [String: Any])?["concurrent_generations"] as? Int == 1)
        }
    }
}

extension SearchEndpointAnswersLikeTheCLITests {
    @Test("a filter keeps to its documents and is echoed; one that allows nothing is a 400 saying so")
    func filters() async throws {
        try await fixture.withServer { client in
            let output = try await client.post("/v1/search", #"{"query": "lighthouse lens bread storm", "k": 5, "filter": {"types": ["txt"]}}"#)
                .decode(SearchOutput.self)
            #expect(!output.results.isEmpty && output.results.allSatisfy { $0.path.hasSuffix(".txt") })
            #expect(output.filter?.types == ["txt"])
            let none = try await client.post("/v1/search", #"{"query": "lens", "filter": {"paths": ["/nowhere/*"]}}"#)
            #expect(none.status.code == 400)
            let error = try #require(try none.json()["error"] as? [String: Any])
            #expect(error["code"] as? String == "filter_matches_nothing")
            let badDate = try await client.post("/v1/search", #"{"query": "lens", "filter": {"since": "yesterday"}}"#)
            #expect(badDate.status.code == 400)
        }
    }
}
