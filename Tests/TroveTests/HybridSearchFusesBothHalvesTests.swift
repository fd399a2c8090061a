import Foundation
import Testing
import TroveTestSupport
@testable import Trove

/// Hybrid search on a real index (real encoder, real FTS5): results come from both retrievers,
/// every result carries its exact distance, and one document gives at most
/// `TroveIndex.passagesPerDocument` passages, listed together.
@Suite("hybrid search", .serialized)
struct HybridSearchFusesBothHalvesTests {
    let folder: TemporaryFolder
    let trove: TroveIndex

    init() throws {
        _ = try Fixtures.required(Fixtures.encoderFolder.appendingPathComponent("model.safetensors"))
        folder = try TemporaryFolder("trove-hybrid")
        // A code word only the keyword half can match, and a paraphrase only the dense half can.
        try folder.write("docs/valve.txt", "Maintenance log. Part QX7731 was replaced on the north pier after the inspection.\n")
        try folder.write("docs/storm.txt", "Heavy gales battered the coast overnight, and waves broke over the harbour wall.\n")
        try folder.write("docs/bread.txt", "Sourdough bread rises with wild yeast kept alive in a flour and water starter.\n")
        // A long document whose every paragraph is about tides: it must not fill the list alone.
        let paragraphs = (1...12).map { i in
            "Tide note \(i). The tide rises and falls twice a day because the moon's gravity pulls the ocean; " +
            "spring tides at full and new moon are the highest of the month, neap tides the lowest. " +
            String(repeating: "The harbour master records the height of every high tide in the tide book. ", count: 6)
        }
        try folder.write("docs/tides.txt", paragraphs.joined(separator: "\n\n"))
        trove = TroveIndex(indexFile: folder.url.appendingPathComponent("index.sqlite"),
                           models: ModelLocation(folder: Fixtures.modelsFolder))
        try trove.ingest([folder.url.appendingPathComponent("docs")])
    }

    @Test("a keyword-only match and a meaning-only match both reach the top of a hybrid list")
    func bothHalves() throws {
        let query = "QX7731 storm damage at sea"
        let keyword = try trove.search(query, k: 3, mode: .keyword)
        #expect(keyword.first?.path.hasSuffix("valve.txt") == true, "keyword: \(keyword.map(\.path))")
        #expect(!keyword.contains { $0.path.hasSuffix("storm.txt") }, "storm.txt shares no word with the query")
        // The dense half finds the paraphrase (it may rank the code word's passage first too).
        let dense = try trove.search(query, k: 2, mode: .dense)
        #expect(dense.contains { $0.path.hasSuffix("storm.txt") }, "dense: \(dense.map(\.path))")

        let hybrid = try trove.search(query, k: 2, mode: .hybrid)
        #expect(Set(hybrid.map { URL(fileURLWithPath: $0.path).lastPathComponent }) == ["valve.txt", "storm.txt"])
        #expect(hybrid.first { $0.path.hasSuffix("valve.txt") }?.keywordScore != nil)
        #expect(hybrid.first { $0.path.hasSuffix("storm.txt") }?.keywordScore == nil)
        #expect(hybrid.map(\.rank) == [1, 2])
        #expect(zip(hybrid, hybrid.dropFirst()).allSatisfy { ($0.score ?? 0) >= ($1.score ?? 0) })
    }

    @Test("every result reports its exact distance and cosine, in every mode", arguments: SearchMode.allCases)
    func exactDistances(mode: SearchMode) throws {
        let query = "QX7731 replaced on the pier"
        let results = try trove.search(query, k: 4, mode: mode)
        #expect(!results.isEmpty)
        let dense = try trove.search(query, k: 100, mode: .dense)
        for result in results {
            #expect(abs(result.cosine - (1 - result.distance / 2)) < 1e-6)
            // The same chunk's distance as the dense retriever computed it.
            let reference = try #require(dense.first { $0.chunkID == result.chunkID })
            #expect(abs(result.distance - reference.distance) < 1e-5, "chunk \(result.chunkID)")
        }
    }

    @Test("one document contributes at most the cap, its passages together and best first", arguments: SearchMode.allCases)
    func perDocumentCap(mode: SearchMode) throws {
        let results = try trove.search("why does the tide rise twice a day", k: 8, mode: mode)
        let tides = results.filter { $0.path.hasSuffix("tides.txt") }
        #expect(tides.count == TroveIndex.passagesPerDocument, "\(results.map(\.path))")
        let ranks = tides.map(\.rank)
        #expect(ranks == Array(ranks[0] ..< ranks[0] + ranks.count), "a document's passages are listed together")
        #expect(zip(tides, tides.dropFirst()).allSatisfy { ($0.score ?? 0) >= ($1.score ?? 0) })
        #expect(results.first?.path.hasSuffix("tides.txt") == true)
    }

    static let hostile = [
        "", "   ", "\"", "\"unterminated", "NEAR(tide bread, 2)", "tide AND OR NOT", "* ^ - + :",
        "col:tide", "'); DROP TABLE chunks; --", "\u{0}\u{1}", "🌊🌊 tide ☃", "((((", "tide\"bread",
        String(repeating: "tide ", count: 500), "the of and a",
    ]

    @Test("keyword and hybrid search never throw on hostile text", arguments: hostile)
    func hostileQueries(text: String) throws {
        for mode in [SearchMode.keyword, .hybrid] {
            let results = try trove.search(text, k: 5, mode: mode)
            #expect(results.count <= 5)
        }
    }
}
