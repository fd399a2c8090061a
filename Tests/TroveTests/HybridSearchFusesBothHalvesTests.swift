import Foundation
import Testing
import TroveTestSupport
@testable import Trove

/// Hybrid search on a real index (real encoder, real FTS5): results come from both retrievers,
/// every result carries its exact distance (keyword: none), and one document gives at most
/// `TroveIndex.passagesPerDocument` passages; results are in the order of their score.
@Suite("hybrid search", .serialized)
struct HybridSearchFusesBothHalvesTests {
    let folder: TemporaryFolder
    let trove: TroveIndex

    init() throws {
        _ = try Fixtures.required(Fixtures.encoderFolder.appendingPathComponent("model.safetensors"))
        folder = try TemporaryFolder("trove-hybrid")
        // A code word only the keyword half can match, and a paraphrase only the dense half can.
        try folder.write("docs/valve.txt", "Maintenance log. Part QX7731 was replaced on the north pier after the inspection.\n")
        try folder.write("docs/gales.txt", "Heavy gales battered the coast overnight, and waves broke over the harbour wall.\n")
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
        #expect(!keyword.contains { $0.path.hasSuffix("gales.txt") }, "gales.txt shares no word with the query (text or file name)")
        // The dense half finds the paraphrase (it may rank the code word's passage first too).
        let dense = try trove.search(query, k: 2, mode: .dense)
        #expect(dense.contains { $0.path.hasSuffix("gales.txt") }, "dense: \(dense.map(\.path))")

        let hybrid = try trove.search(query, k: 2, mode: .hybrid, explain: true)
        #expect(Set(hybrid.map { URL(fileURLWithPath: $0.path).lastPathComponent }) == ["valve.txt", "gales.txt"])
        #expect(hybrid.first { $0.path.hasSuffix("valve.txt") }?.explanation?.passageBM25 != nil)
        #expect(hybrid.first { $0.path.hasSuffix("gales.txt") }?.explanation?.passageBM25 == nil)
        #expect(hybrid.map(\.rank) == [1, 2])
        #expect(zip(hybrid, hybrid.dropFirst()).allSatisfy { $0.score >= $1.score })
    }

    @Test("every dense and hybrid result reports its exact distance and cosine; keyword results none", arguments: SearchMode.allCases)
    func exactDistances(mode: SearchMode) throws {
        let query = "QX7731 replaced on the pier"
        let results = try trove.search(query, k: 4, mode: mode)
        #expect(!results.isEmpty)
        let dense = try trove.search(query, k: 100, mode: .dense)
        for result in results {
            guard mode != .keyword else {
                #expect(result.cosine == nil && result.distance == nil)
                continue
            }
            let cosine = try #require(result.cosine), distance = try #require(result.distance)
            #expect(abs(cosine - (1 - distance / 2)) < 1e-6)
            // The same chunk's distance as the dense retriever computed it.
            let reference = try #require(dense.first { $0.chunkID == result.chunkID })
            #expect(abs(distance - (reference.distance ?? .nan)) < 1e-5, "chunk \(result.chunkID)")
        }
    }

    @Test("-k counts passages: k results whenever the index holds k passages", arguments: SearchMode.allCases)
    func kCountsPassages(mode: SearchMode) throws {
        // "tide" matches only tides.txt's passages; the cap of 3 per document still leaves k to
        // fill from the others in dense and hybrid mode.
        for k in [1, 3, 5, 6] {
            let results = try trove.search("tide", k: k, mode: mode)
            let expected = mode == .keyword ? min(k, TroveIndex.passagesPerDocument) : k
            #expect(results.count == expected, "\(mode) k=\(k): \(results.map(\.path))")
        }
    }

    @Test("--explain's signals reproduce each score and the order", arguments: SearchMode.allCases)
    func explainedScores(mode: SearchMode) throws {
        let weights = RankingWeights.default
        let results = try trove.search("why does the tide rise twice a day", k: 6, mode: mode, explain: true)
        for result in results {
            let signals = try #require(result.explanation)
            let keyword = weights.passage * (signals.passageKeyword ?? 0) + (1 - weights.passage) * (signals.documentKeyword ?? 0)
            let expected = mode == .dense ? (signals.cosine ?? 0)
                : mode == .keyword ? keyword : weights.dense * (signals.cosine ?? 0) + (1 - weights.dense) * keyword
            #expect(abs(result.score - expected) < 1e-9)
            #expect(signals.score == result.score && signals.chunk == result.chunkID)
        }
        #expect(zip(results, results.dropFirst()).allSatisfy { $0.score >= $1.score })
        #expect(try trove.search("why does the tide rise twice a day", k: 6, mode: mode).allSatisfy { $0.explanation == nil })
    }

    @Test("one document contributes at most the cap; results in the order of their score", arguments: SearchMode.allCases)
    func perDocumentCap(mode: SearchMode) throws {
        let results = try trove.search("why does the tide rise twice a day", k: 8, mode: mode)
        let tides = results.filter { $0.path.hasSuffix("tides.txt") }
        #expect(tides.count == TroveIndex.passagesPerDocument, "\(results.map(\.path))")
        #expect(zip(results, results.dropFirst()).allSatisfy { $0.score >= $1.score })
        #expect(results.map(\.rank) == Array(1...results.count))
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
