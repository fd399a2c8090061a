import Foundation
import Store
import Testing
@testable import Trove

/// ``PassageRanking``: one score per passage from its own signals (never from the other
/// candidates), MaxP documents, a per-document cap, and ``BM25Ceiling`` as FTS5 computes idf.
struct PassageRankingScoresEachPassageTests {
    static let weights = RankingWeights(dense: 0.4, passage: 0.7)

    static func passage(_ chunk: Int64, document: Int64, cosine: Double? = nil, passageBM25: Double? = nil,
                        documentBM25: Double? = nil) -> RankingSignals {
        RankingSignals(chunk: chunk, document: document, cosine: cosine, passageBM25: passageBM25, documentBM25: documentBM25)
    }

    @Test("each mode's score is its formula, with a missing signal counting 0", arguments: SearchMode.allCases)
    func formula(mode: SearchMode) throws {
        let signals = Self.passage(1, document: 1, cosine: 0.6, passageBM25: 3, documentBM25: 2)
        let scored = PassageRanking.score(signals, mode: mode, weights: Self.weights, passageCeiling: 10, documentCeiling: 8)
        let keyword = 0.7 * 0.3 + 0.3 * 0.25
        switch mode {
        case .dense:
            #expect(scored.score == 0.6)
            #expect(scored.keyword == nil)
        case .keyword:
            #expect(abs(scored.score - keyword) < 1e-12)
            #expect(scored.passageKeyword == 0.3 && scored.documentKeyword == 0.25)
        case .hybrid:
            #expect(abs(scored.score - (0.4 * 0.6 + 0.6 * keyword)) < 1e-12)
        }
        let bare = PassageRanking.score(Self.passage(2, document: 1), mode: mode, weights: Self.weights,
                                        passageCeiling: 10, documentCeiling: 8)
        #expect(bare.score == 0)
    }

    @Test("a passage scores the same alone, beside one other, and among a thousand", arguments: [1, 2, 10, 1000])
    func independentOfTheList(count: Int) throws {
        let target = Self.passage(1, document: 1, cosine: 0.31, passageBM25: 4.5, documentBM25: 1.2)
        var candidates = [target]
        for i in 1 ..< count {
            candidates.append(Self.passage(Int64(i + 1), document: Int64(i + 1), cosine: Double(i % 97) / 100,
                                           passageBM25: Double(i % 13), documentBM25: Double(i % 7)))
        }
        for mode in SearchMode.allCases {
            let alone = PassageRanking.scored([target], mode: mode, weights: Self.weights, passageCeiling: 9, documentCeiling: 6)
            let among = PassageRanking.scored(candidates, mode: mode, weights: Self.weights, passageCeiling: 9, documentCeiling: 6)
            #expect(among.first { $0.chunk == 1 }?.score == alone[0].score)
            // Neither a winner's 1 nor a loser's 0, as min-max over a short list would make them.
            #expect(alone[0].score > 0 && alone[0].score < 1)
        }
    }

    @Test("a long document's one strong paragraph beats a short document's weak match")
    func strongParagraphWins() throws {
        // The long document as a whole matches weakly (its one paragraph is diluted by its length);
        // the short one matches as a whole about as well as its only passage does, which is weakly.
        let paragraph = Self.passage(1, document: 1, cosine: 0.36, passageBM25: 7, documentBM25: 2)
        let story = Self.passage(2, document: 2, cosine: 0.2, passageBM25: 2.5, documentBM25: 2.5)
        for mode in [SearchMode.keyword, .hybrid] {
            let ranked = PassageRanking.scored([story, paragraph], mode: mode, weights: .default,
                                               passageCeiling: 10, documentCeiling: 10)
            #expect(ranked.map(\.chunk) == [1, 2], "\(mode)")
        }
    }

    @Test("results in the order of their score, at most the cap per document, k of them")
    func selection() throws {
        let ranked = PassageRanking.scored([
            Self.passage(10, document: 1, cosine: 0.9), Self.passage(11, document: 1, cosine: 0.8),
            Self.passage(12, document: 1, cosine: 0.7), Self.passage(13, document: 1, cosine: 0.65),
            Self.passage(20, document: 2, cosine: 0.75), Self.passage(30, document: 3, cosine: 0.75),
        ], mode: .dense, passageCeiling: 0, documentCeiling: 0)
        #expect(PassageRanking.select(ranked, passagesPerDocument: 3, limit: 10).map(\.chunk) == [10, 11, 20, 30, 12])
        #expect(PassageRanking.select(ranked, passagesPerDocument: 3, limit: 3).map(\.chunk) == [10, 11, 20])
        // One per document is the document ranking (MaxP): ties by the smaller chunk id.
        #expect(PassageRanking.select(ranked, passagesPerDocument: 1, limit: 10).map(\.document) == [1, 2, 3])
        let scores = PassageRanking.select(ranked, limit: 10).map(\.score)
        #expect(scores == scores.sorted(by: >))
    }

    @Test("the passages added for ask are the best others by their own BM25, past the per-document cap")
    func bestByOwnKeywords() throws {
        let ranked = PassageRanking.scored([
            Self.passage(10, document: 1, cosine: 0.95, passageBM25: 1), Self.passage(11, document: 1, cosine: 0.9),
            Self.passage(12, document: 1, cosine: 0.85), Self.passage(13, document: 1, cosine: 0.1, passageBM25: 6),
            Self.passage(20, document: 2, cosine: 0.1, passageBM25: 4), Self.passage(30, document: 3, cosine: 0.2),
        ], mode: .hybrid, weights: Self.weights, passageCeiling: 10, documentCeiling: 10)
        let chosen = PassageRanking.select(ranked, passagesPerDocument: 3, limit: 3)
        #expect(chosen.map(\.chunk) == [10, 11, 12])
        let taken = Set(chosen.map(\.chunk))
        #expect(PassageRanking.bestByOwnKeywords(ranked, excluding: taken, limit: 1).map(\.chunk) == [13])
        #expect(PassageRanking.bestByOwnKeywords(ranked, excluding: taken, limit: 5).map(\.chunk) == [13, 20])
        #expect(PassageRanking.bestByOwnKeywords(ranked, excluding: taken, limit: 0).isEmpty)
    }

    @Test("the BM25 ceiling is Σ idf · (k1 + 1) with FTS5's idf and floor")
    func ceiling() throws {
        let statistics = KeywordStatistics(rows: 1000, matchingRows: [10, 999, 0])
        let idf = [log(990.5 / 10.5), 1e-6, log(1000.5 / 0.5)]
        #expect(abs(BM25Ceiling.value(statistics) - idf.reduce(0, +) * 2.2) < 1e-9)
        #expect(BM25Ceiling.value(KeywordStatistics(rows: 5, matchingRows: [])) == 0)
    }
}
