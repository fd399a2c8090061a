import Foundation
import ModelFiles
import Testing
import Tokenizers
import TroveTestSupport

/// SmolLM2's tokenizer and llama.cpp's reference tokenizations of it, loaded once.
///
/// The tokenizer is built here straight from the GGUF arrays (this test target cannot see
/// LlamaDecoder's loader); LlamaDecoderTests checks the loader gives the same tokenizer.
enum SmolLM2Vocabulary {
    static let loadedTokenizer: Result<ByteLevelBPETokenizer, Error> = Result {
        _ = try Fixtures.required(Fixtures.decoderFile)
        let gguf = try GGUFFile(url: Fixtures.decoderFile)
        return try ByteLevelBPETokenizer(
            tokens: gguf.stringArray("tokenizer.ggml.tokens"),
            tokenTypes: gguf.int32Array("tokenizer.ggml.token_type"),
            merges: gguf.stringArray("tokenizer.ggml.merges"),
            preTokenizer: gguf.string("tokenizer.ggml.pre"),
            bosID: Int32(gguf.integer("tokenizer.ggml.bos_token_id")),
            eosID: Int32(gguf.integer("tokenizer.ggml.eos_token_id")),
            unknownID: Int32(gguf.integer("tokenizer.ggml.unknown_token_id")),
            addBOS: gguf.bool("tokenizer.ggml.add_bos_token"),
            source: gguf.path)
    }

    /// The tokenizer, or the error naming the missing model file.
    static func tokenizer() throws -> ByteLevelBPETokenizer { try loadedTokenizer.get() }

    /// One case of fixtures/smollm2/tokenizer.json.
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let ids: [Int32]
        let ids_no_parse_special: [Int32]
        let pieces: [String]
        var testDescription: String { name }
    }

    struct File: Decodable {
        struct Header: Decodable { let n_cases: Int }
        let header: Header
        let cases: [Case]
    }

    static let loadedCases: Result<File, Error> = Result {
        try JSONDecoder().decode(File.self, from: Fixtures.data("smollm2/tokenizer.json"))
    }

    /// The cases for `@Test(arguments:)`; empty if the fixture is missing, which
    /// `fixtureIsPresent` then reports as a failure.
    static var cases: [Case] { (try? loadedCases.get().cases) ?? [] }
}
