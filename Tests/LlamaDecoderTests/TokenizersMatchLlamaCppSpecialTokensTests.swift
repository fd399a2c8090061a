import Foundation
import LlamaDecoder
import Testing
import Tokenizers
import TroveTestSupport

/// Chat-like texts tokenized with special tokens parsed and not, and detokenized, as llama.cpp
/// itself does it on the same vocabularies (`llama-cpp-tokenize.json`, written by
/// Scripts/make_tokenizer_references.py through llama-cpp-python 0.3.36). Serialized, as
/// TokenizersMatchLlamaCppVectorsTests.
@Suite(.serialized) struct TokenizersMatchLlamaCppSpecialTokensTests {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var vocabulary = ""
        let text: String
        let parse_special: Bool
        let ids: [Int32]
        let detokenized: String
        var testDescription: String { "\(vocabulary) \(parse_special ? "special" : "plain") \(String(reflecting: String(text.prefix(30))))" }

        enum CodingKeys: String, CodingKey { case text, parse_special, ids, detokenized }
    }

    struct File: Decodable { let vocabularies: [String: [Case]] }

    static var referencesFile: URL { Fixtures.tokenizerVectorsFolder.appendingPathComponent("llama-cpp-tokenize.json") }

    static let loaded = Result { () throws -> [Case] in
        let file = try JSONDecoder().decode(File.self, from: Fixtures.required(referencesFile))
        return LlamaCppTokenizerVectors.supported.flatMap { name in
            (file.vocabularies[name] ?? []).map { var c = $0; c.vocabulary = name; return c }
        }
    }

    static var cases: [Case] { (try? loaded.get()) ?? [] }

    /// Vocabularies whose llama.cpp detokenizer does not "clean up" spaces (`clean_spaces`):
    /// SentencePiece ones and the BPE pre-tokenizers that turn it off. Trove's byte-level BPE
    /// decode is the exact inverse of encode, so it never removes the space of " ?" as llama.cpp
    /// does for gpt2, llama3 and smollm vocabularies.
    static let detokenizesExactly: Set<String> = ["llama-spm", "phi-3", "gemma-4", "qwen2", "qwen35", "command-r"]

    @Test("the references cover every supported vocabulary")
    func referencesArePresent() throws {
        let names = Set(try Self.loaded.get().map(\.vocabulary))
        #expect(names == Set(LlamaCppTokenizerVectors.supported))
    }

    @Test("ids and text equal llama.cpp's", arguments: cases)
    func matchesLlamaCpp(_ test: Case) async throws {
        let tokenizer = try await VocabularyTokenizers.tokenizer(test.vocabulary)
        #expect(tokenizer.encode(test.text, parseSpecial: test.parse_special) == test.ids)
        if Self.detokenizesExactly.contains(test.vocabulary) {
            #expect(tokenizer.decode(test.ids) == test.detokenized)
        }
    }
}
