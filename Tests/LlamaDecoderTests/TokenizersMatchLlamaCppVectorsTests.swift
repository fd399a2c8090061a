import Foundation
import LlamaDecoder
import Testing
import Tokenizers
import TroveTestSupport

/// Every supported vocabulary reproduces llama.cpp's own tokenizer test vectors exactly, as
/// test-tokenizer-0 runs them (no BOS, special tokens not parsed). Serialized: a thousand cases
/// at once would crowd the cooperative threads that the timed server tests need.
@Suite(.serialized) struct TokenizersMatchLlamaCppVectorsTests {
    @Test("the vectors of every supported vocabulary are present", arguments: LlamaCppTokenizerVectors.supported)
    func vectorsArePresent(_ name: String) async throws {
        #expect(try LlamaCppTokenizerVectors.cases(name).count >= 40)
        _ = try await VocabularyTokenizers.tokenizer(name)
    }

    @Test("tokenization equals llama.cpp's", arguments: LlamaCppTokenizerVectors.allCases)
    func matchesLlamaCpp(_ test: LlamaCppTokenizerVectors.Case) async throws {
        let tokenizer = try await VocabularyTokenizers.tokenizer(test.vocabulary)
        #expect(tokenizer.encode(test.text, parseSpecial: false) == test.ids)
    }

    @Test("decoding gives the text back where llama.cpp's does", arguments: LlamaCppTokenizerVectors.allCases)
    func decodesBack(_ test: LlamaCppTokenizerVectors.Case) async throws {
        let tokenizer = try await VocabularyTokenizers.tokenizer(test.vocabulary)
        // SentencePiece drops the one space it added in front; any other leading space is text.
        #expect(tokenizer.decode(test.ids) == test.text)
    }
}
