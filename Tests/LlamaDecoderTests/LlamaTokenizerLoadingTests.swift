import Foundation
import LlamaDecoder
import ModelFiles
import Testing
import Tokenizers
import TroveTestSupport

/// The GGUF → tokenizer glue reads the right keys and refuses what it cannot handle.
struct LlamaTokenizerLoadingTests {
    @Test("SmolLM2's GGUF gives its tokenizer: ids, specials, end of generation")
    func smolLM2() throws {
        try Fixtures.required(Fixtures.decoderFile)
        let tokenizer = try ByteLevelBPETokenizer(gguf: GGUFFile(url: Fixtures.decoderFile))
        #expect(tokenizer.vocabularySize == 49152)
        #expect(tokenizer.preTokenizer == .smollm)
        #expect(tokenizer.encode("<|im_start|>user\nhi<|im_end|>", parseSpecial: true) == [1, 4093, 198, 6004, 2])
        #expect(tokenizer.bosID == 1 && tokenizer.eosID == 2 && !tokenizer.addsBOS)
        #expect(tokenizer.endOfGenerationIDs == [0, 2])
    }

    func file(_ metadata: [(String, GGUFWriter.Value)]) throws -> (TemporaryFolder, GGUFFile) {
        let folder = try TemporaryFolder("tokenizer-gguf")
        return (folder, try GGUFFile(url: GGUFWriter(metadata: metadata).write(to: folder)))
    }

    @Test("a SentencePiece vocabulary or a missing pre-tokenizer is refused naming the file")
    func refusals() throws {
        let tokens: GGUFWriter.Value = .array(elementType: 8, (0 ..< 256).map { .string(String(ByteEncoding.scalarForByte[$0])) })
        let (f1, spm) = try file([("tokenizer.ggml.model", .string("llama")), ("tokenizer.ggml.tokens", tokens)])
        _ = f1
        #expect(throws: TokenizerError.unsupportedModel(file: spm.path, found: "llama", supported: "gpt2 (byte-level BPE)")) {
            _ = try ByteLevelBPETokenizer(gguf: spm)
        }
        let (f2, noPre) = try file([("tokenizer.ggml.model", .string("gpt2")), ("tokenizer.ggml.tokens", tokens)])
        _ = f2
        let error = try #require(throws: TokenizerError.self) { _ = try ByteLevelBPETokenizer(gguf: noPre) }
        #expect(error.description.contains(noPre.path) && error.description.contains("pre"))
        let (f3, noMerges) = try file([("tokenizer.ggml.model", .string("gpt2")), ("tokenizer.ggml.pre", .string("smollm")), ("tokenizer.ggml.tokens", tokens)])
        _ = f3
        #expect(throws: ModelFileError.missingKey(file: noMerges.path, key: "tokenizer.ggml.merges")) { _ = try ByteLevelBPETokenizer(gguf: noMerges) }
    }
}
