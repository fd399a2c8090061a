import Foundation
import Testing
import Tokenizers
import TroveTestSupport

/// SmolLM2's tokenizer gives llama.cpp's ids (fixtures/smollm2/tokenizer.json) for every case,
/// with and without special-token parsing, and decodes them back to the exact text.
struct ByteLevelBPEMatchesLlamaCppTests {
    typealias Case = SmolLM2Vocabulary.Case

    @Test("the fixture and the model are present, with every case the header announces")
    func fixtureIsPresent() throws {
        let file = try SmolLM2Vocabulary.loadedCases.get()
        #expect(file.cases.count == file.header.n_cases)
        #expect(file.cases.count >= 21)
        #expect(try SmolLM2Vocabulary.tokenizer().vocabularySize == 49152)
    }

    @Test("ids with special tokens parsed match llama-tokenize", arguments: SmolLM2Vocabulary.cases)
    func idsParsingSpecial(_ c: Case) throws {
        let tokenizer = try SmolLM2Vocabulary.tokenizer()
        #expect(tokenizer.encode(c.text, parseSpecial: true) == c.ids)
        #expect(c.ids.map { tokenizer.token($0) ?? "?" } == c.pieces)
    }

    @Test("ids without special-token parsing match llama-tokenize --no-parse-special", arguments: SmolLM2Vocabulary.cases)
    func idsNotParsingSpecial(_ c: Case) throws {
        let tokenizer = try SmolLM2Vocabulary.tokenizer()
        #expect(tokenizer.encode(c.text, parseSpecial: false) == c.ids_no_parse_special)
    }

    @Test("decode(encode(text)) is the text", arguments: SmolLM2Vocabulary.cases)
    func roundTrip(_ c: Case) throws {
        let tokenizer = try SmolLM2Vocabulary.tokenizer()
        #expect(tokenizer.decode(tokenizer.encode(c.text, parseSpecial: true)) == c.text)
        #expect(tokenizer.decode(tokenizer.encode(c.text, parseSpecial: false)) == c.text)
        #expect(tokenizer.decode(c.ids_no_parse_special) == c.text)
    }

    @Test("the pieces of any encoding concatenate to the UTF-8 bytes of the text")
    func piecesAreBytes() throws {
        let tokenizer = try SmolLM2Vocabulary.tokenizer()
        for text in ["Zürich 👨‍👩‍👧", "大语言模型", "\u{0}\u{7F}\t"] {
            let bytes = tokenizer.encode(text, parseSpecial: false).flatMap { tokenizer.piece($0) }
            #expect(bytes == Array(text.utf8))
        }
    }
}
