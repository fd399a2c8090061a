import Foundation
import LlamaDecoder
import ModelFiles
import Testing
import Tokenizers
import TroveTestSupport

/// `loadDecoderTokenizer` picks the algorithm `tokenizer.ggml.model` names, reads a SentencePiece
/// vocabulary's keys with llama.cpp's defaults, and refuses what it cannot handle by name.
struct SentencePieceLoadingTests {
    /// A toy SentencePiece vocabulary: specials, 256 byte tokens, then merged pieces with scores.
    static func toyVocabulary(addSpacePrefix: Bool? = nil) -> [(String, GGUFWriter.Value)] {
        var tokens = ["<unk>", "<s>", "</s>"] + (0 ..< 256).map { String(format: "<0x%02X>", $0) }
        var types: [Int32] = [2, 3, 3] + [Int32](repeating: 6, count: 256)
        var scores: [Float] = [0, 0, 0] + [Float](repeating: 0, count: 256)
        for (i, piece) in ["▁", "h", "i", "▁h", "▁hi", "é"].enumerated() {
            tokens.append(piece); types.append(1); scores.append(-Float(i))
        }
        var metadata: [(String, GGUFWriter.Value)] = [
            ("tokenizer.ggml.model", .string("llama")),
            ("tokenizer.ggml.pre", .string("default")),
            ("tokenizer.ggml.tokens", .array(elementType: 8, tokens.map { .string($0) })),
            ("tokenizer.ggml.scores", .array(elementType: 6, scores.map { .float32($0) })),
            ("tokenizer.ggml.token_type", .array(elementType: 5, types.map { .int32($0) })),
        ]
        if let addSpacePrefix { metadata.append(("tokenizer.ggml.add_space_prefix", .bool(addSpacePrefix))) }
        return metadata
    }

    func load(_ metadata: [(String, GGUFWriter.Value)]) throws -> (TemporaryFolder, GGUFFile) {
        let folder = try TemporaryFolder("spm-gguf")
        return (folder, try GGUFFile(url: GGUFWriter(metadata: metadata).write(to: folder)))
    }

    @Test("a llama-model GGUF gives a SentencePiece tokenizer with llama.cpp's defaults")
    func defaults() throws {
        let (folder, gguf) = try load(Self.toyVocabulary())
        _ = folder
        let tokenizer = try #require(try loadDecoderTokenizer(gguf) as? SentencePieceTokenizer)
        #expect(tokenizer.bosID == 1 && tokenizer.eosID == 2 && tokenizer.addsBOS && !tokenizer.addsEOS && tokenizer.addsSpacePrefix)
        let hi = try #require(tokenizer.id(of: "▁hi"))
        #expect(tokenizer.encode("hi", parseSpecial: false) == [hi])
        #expect(tokenizer.encode("hi", parseSpecial: false, addSpecial: true) == [1, hi])
        #expect(tokenizer.encode("<s>hi", parseSpecial: true) == [1, hi]) // a space prefix after a special token too
        #expect(tokenizer.decode([hi]) == "hi")
        #expect(tokenizer.decode([1, hi], skipSpecial: true) == " hi") // llama.cpp keeps the space after a removed BOS
        #expect(tokenizer.endOfGenerationIDs == [2])
    }

    @Test("characters outside the vocabulary fall back to byte tokens, and decode whole")
    func byteFallback() throws {
        let (folder, gguf) = try load(Self.toyVocabulary(addSpacePrefix: false))
        _ = folder
        let tokenizer = try loadDecoderTokenizer(gguf)
        let ids = tokenizer.encode("h€", parseSpecial: false) // € = E2 82 AC
        #expect(ids == [tokenizer.id(of: "h"), tokenizer.id(of: "<0xE2>"), tokenizer.id(of: "<0x82>"), tokenizer.id(of: "<0xAC>")].compactMap { $0 })
        #expect(tokenizer.decode(ids) == "h€")
        var streamer = TextStreamer(tokenizer: tokenizer)
        #expect(ids.map { streamer.append($0) } == ["h", "", "", "€"])
    }

    @Test("the streamer shows what decode gives: the space prefix of the first piece goes")
    func streamingDropsThePrefix() throws {
        let (folder, gguf) = try load(Self.toyVocabulary())
        _ = folder
        let tokenizer = try loadDecoderTokenizer(gguf)
        let ids = tokenizer.encode("hi hi", parseSpecial: false)
        var streamer = TextStreamer(tokenizer: tokenizer)
        #expect(ids.map { streamer.append($0) }.joined() + streamer.finish() == tokenizer.decode(ids))
        #expect(tokenizer.decode(ids) == "hi hi")
        #expect(tokenizer.encodeContinuation(" hi") == [tokenizer.id(of: "▁hi")].compactMap { $0 })
    }

    @Test("an unknown tokenizer model is refused naming the file, the model and the supported ones")
    func unknownModel() throws {
        var metadata = Self.toyVocabulary()
        metadata[0] = ("tokenizer.ggml.model", .string("t5"))
        let (folder, gguf) = try load(metadata)
        _ = folder
        let error = try #require(throws: TokenizerError.self) { _ = try loadDecoderTokenizer(gguf) }
        #expect(error == .unsupportedModel(file: gguf.path, found: "t5", supported: "gpt2 (byte-level BPE), llama (SentencePiece), gemma4 (SentencePiece spelling, merges by rank)"))
        #expect(error.description.contains(gguf.path) && error.description.contains("'t5'"))
    }

    @Test("an unknown pre-tokenizer is refused naming the file and the value")
    func unknownPreTokenizer() throws {
        let tokens: GGUFWriter.Value = .array(elementType: 8, (0 ..< 256).map { .string(String(ByteEncoding.scalarForByte[$0])) })
        let (folder, gguf) = try load([("tokenizer.ggml.model", .string("gpt2")), ("tokenizer.ggml.pre", .string("deepseek-llm")),
                                       ("tokenizer.ggml.tokens", tokens), ("tokenizer.ggml.merges", .array(elementType: 8, []))])
        _ = folder
        let error = try #require(throws: TokenizerError.self) { _ = try loadDecoderTokenizer(gguf) }
        #expect(error.description.contains(gguf.path) && error.description.contains("'deepseek-llm'"))
    }
}
