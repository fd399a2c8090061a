import Foundation
import Testing
import TroveTestSupport
@testable import Tokenizers

/// Token ids must equal sentence-transformers' exactly, item by item.
@Suite("WordPiece matches sentence-transformers") struct WordPieceMatchesReferenceTests {
    static func tokenizer() throws -> WordPieceTokenizer {
        let url = Fixtures.encoderFolder.appendingPathComponent("vocab.txt")
        try Fixtures.required(url)
        return try WordPieceTokenizer(vocabularyFile: url)
    }

    @Test("the fixture is present and holds 26 items")
    func fixturePresent() throws {
        #expect(try MiniLMReference.load().count == 26)
    }

    @Test("input_ids equal the reference", arguments: MiniLMReference.items.map(\.id))
    func inputIDs(_ id: String) throws {
        let item = try #require(try MiniLMReference.load().first { $0.id == id })
        let tokenizer = try Self.tokenizer()
        let ids = tokenizer.encode(item.text, maxLength: 256)
        #expect(ids == item.input_ids, "\(item.id) \(item.text.debugDescription): \(tokenizer.pieces(ids)) vs \(item.tokens)")
        #expect(tokenizer.pieces(ids) == item.tokens)
        #expect(tokenizer.pieceCount(item.text[...]) == item.num_tokens_untruncated - 2)
    }
}
