import Foundation
import Testing
@testable import Store

@Suite("Keyword search")
struct KeywordSearchNeverFailsOnHostileInputTests {
    static let hostile = [
        "", " ", "\"", "\"\"\"", "'", "(", ")", "())(", "NEAR", "NEAR(a b)", "a NEAR/2 b", "*", "walrus*", "-walrus",
        "AND", "OR", "NOT", "a AND OR NOT b", "text:walrus", "{text}: walrus", "^walrus", "col1 : x", "+", "\\",
        "'; DROP TABLE chunks; --", "\u{0}", "🦭🐧", "emoji🦭walrus", "ÉLÉPHANT", String(repeating: "walrus ", count: 40) + String(repeating: "(", count: 200),
        "what is the walrus\" OR \"x", "a\"b", "%_", "\n\t\r",
    ]

    @Test("no input is an FTS5 syntax error", arguments: IndexKind.allCases, hostile)
    func neverThrows(kind: IndexKind, query: String) throws {
        try withIndex(kind) { (database) throws in
            try SampleDocument(path: "/d/a.txt", texts: ["The walrus lives near the ice", "an éléphant and a penguin"]).store(in: database)
            _ = try database.keywordSearch(query, limit: 5)
        }
    }

    @Test("no input is an FTS5 syntax error for whole documents either", arguments: IndexKind.allCases, hostile)
    func documentsNeverThrow(kind: IndexKind, query: String) throws {
        try withIndex(kind) { (database) throws in
            _ = try SampleDocument(path: "/d/a.txt", texts: ["The walrus lives near the ice", "an éléphant and a penguin"]).store(in: database)
            _ = try database.documentKeywordSearch(query, limit: 5)
            _ = try database.keywordMatches(query, in: .passages)
            _ = try database.keywordMatches(query, in: .documents)
            _ = try database.keywordStatistics(query, in: .passages)
        }
    }

    @Test("a word occurs when a passage holds it or a word with its stem; anything else does not", arguments: IndexKind.allCases)
    func wordOccurs(kind: IndexKind) throws {
        try withIndex(kind) { (database) throws in
            try SampleDocument(path: "/d/a.txt", texts: ["The walrus lives near the ice", "an éléphant and a penguin"]).store(in: database)
            #expect(try database.keywordOccurs("walrus", in: .passages))
            #expect(try database.keywordOccurs("swimming", in: .passages) == false)
            #expect(try database.keywordOccurs("penguins", in: .passages), "porter stems both")
            #expect(try database.keywordOccurs("elephant", in: .passages), "diacritics removed")
            #expect(try database.keywordOccurs("conda", in: .passages) == false)
            // A word is looked up as itself ("NEAR" is the word near), anything else is no word.
            for hostile in Self.hostile { _ = try database.keywordOccurs(hostile, in: .passages) }
            #expect(try database.keywordOccurs("walrus*", in: .passages) == false)
        }
    }

    @Test("match expressions quote each word and join them by OR")
    func expressions() {
        #expect(KeywordQuery.matchExpression(for: "What's NEAR(the *end*)?") == "\"near\" OR \"end\"")
        #expect(KeywordQuery.matchExpression(for: "Where do walruses live?") == "\"walruses\" OR \"live\"")
        #expect(KeywordQuery.matchExpression(for: "the of and") == "\"the\" OR \"of\" OR \"and\"")
        #expect(KeywordQuery.matchExpression(for: "\"()*-: ") == nil)
        #expect(KeywordQuery.matchExpression(for: "a a A") == "\"a\"")
    }

    @Test("a question finds passages by stemmed, accent-free words, best first", arguments: IndexKind.allCases)
    func ranking(kind: IndexKind) throws {
        try withIndex(kind) { (database) throws in
            try SampleDocument(path: "/d/a.txt", texts: [
                "Walruses live on the sea ice of the Arctic.",
                "Penguins live in the southern hemisphere.",
                "The walrus eats clams; a walrus can weigh a ton.",
                "An éléphant never forgets.",
            ]).store(in: database)
            let ids = try database.chunks(documentPath: "/d/a.txt").map { $0.id! }

            let walrus = try database.keywordSearch("Where do walruses live?", limit: 10)
            // "walruses" and "live" both match the first; porter stems "walruses" to "walruse", not "walru".
            #expect(walrus.first?.chunkID == ids[0])
            #expect(Set(walrus.map(\.chunkID)) == [ids[0], ids[1]])
            #expect(walrus.allSatisfy { $0.score > 0 })
            #expect(zip(walrus, walrus.dropFirst()).allSatisfy { $0.score >= $1.score })

            #expect(try database.keywordSearch("ELEPHANT", limit: 10).map(\.chunkID) == [ids[3]])
            #expect(Set(try database.keywordSearch("living walrus", limit: 10).map(\.chunkID)) == [ids[0], ids[1], ids[2]])
            #expect(try database.keywordSearch("walrus", limit: 1).count == 1)
            #expect(try database.keywordSearch("walrus", limit: 0).isEmpty)
        }
    }
}
