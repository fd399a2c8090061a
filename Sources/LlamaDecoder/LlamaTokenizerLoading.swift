import ModelFiles
import Tokenizers

/// The tokenizer stored in a GGUF file's `tokenizer.ggml.*` keys, chosen by
/// `tokenizer.ggml.model`: `gpt2` → ``ByteLevelBPETokenizer``, `llama` and `gemma4` →
/// ``SentencePieceTokenizer`` (by score; Gemma 4's by rank).
/// Anything else is refused with an error naming the file, the model and the supported ones.
/// Only metadata is read, so a vocabulary-only GGUF (no tensors, as llama.cpp's
/// `ggml-vocab-*.gguf`) is enough.
///
/// ```swift
/// let tokenizer = try loadDecoderTokenizer(GGUFFile(url: modelURL))
/// tokenizer.encode("Hello world", parseSpecial: false)
/// ```
public func loadDecoderTokenizer(_ gguf: GGUFFile) throws -> any DecoderTokenizer {
    let model = try gguf.string("tokenizer.ggml.model")
    switch model {
    case "gpt2": return try ByteLevelBPETokenizer(gguf: gguf)
    case "llama", "gemma4": return try SentencePieceTokenizer(gguf: gguf)
    default: throw TokenizerError.unsupportedModel(file: gguf.path, found: model, supported: supportedTokenizerModels)
    }
}

/// The `tokenizer.ggml.model` values Trove reads, for error messages.
let supportedTokenizerModels = "gpt2 (byte-level BPE), llama (SentencePiece), gemma4 (SentencePiece spelling, merges by rank)"

/// The keys both kinds of vocabulary share.
private struct CommonTokenizerKeys {
    let gguf: GGUFFile

    func optionalID(_ key: String) throws -> Int32? {
        guard gguf.has(key) else { return nil }
        let value = try gguf.integer(key)
        guard let id = Int32(exactly: value) else {
            throw ModelFileError.wrongValueType(file: gguf.path, key: key, expected: "a token id", found: "\(value)")
        }
        return id
    }

    func optionalBool(_ key: String, default value: Bool) throws -> Bool { gguf.has(key) ? try gguf.bool(key) : value }

    var tokens: [String] { get throws { try gguf.stringArray("tokenizer.ggml.tokens") } }
    /// `tokenizer.ggml.scores`, float32 or (as llama.cpp also accepts) int32; empty if absent.
    var scores: [Float] {
        get throws {
            guard gguf.has("tokenizer.ggml.scores") else { return [] }
            if case let .array(elementType, _) = try gguf.value("tokenizer.ggml.scores"), elementType != .float32, elementType != .float64 {
                return try gguf.int32Array("tokenizer.ggml.scores").map(Float.init)
            }
            return try gguf.floatArray("tokenizer.ggml.scores")
        }
    }

    var tokenTypes: [Int32] { get throws { gguf.has("tokenizer.ggml.token_type") ? try gguf.int32Array("tokenizer.ggml.token_type") : [] } }
}

extension ByteLevelBPETokenizer {
    /// The byte-level BPE tokenizer of a GGUF file (`tokenizer.ggml.model = gpt2`).
    ///
    /// Reads `pre`, `tokens`, `token_type` (optional: all normal if absent), `merges`, the
    /// `bos`/`eos`/`eot`/`eom`/`unknown` token ids and `add_bos_token`/`add_eos_token` (false if
    /// absent). Errors name the file and the key.
    public convenience init(gguf: GGUFFile) throws {
        let model = try gguf.string("tokenizer.ggml.model")
        guard model == "gpt2" else {
            throw TokenizerError.unsupportedModel(file: gguf.path, found: model, supported: "gpt2 (byte-level BPE)")
        }
        guard gguf.has("tokenizer.ggml.pre") else {
            throw TokenizerError.unsupportedPreTokenizer(file: gguf.path, found: "(no tokenizer.ggml.pre key)", supported: PreTokenizer.supportedNames)
        }
        let keys = CommonTokenizerKeys(gguf: gguf)
        try self.init(
            tokens: keys.tokens,
            tokenTypes: keys.tokenTypes,
            merges: gguf.stringArray("tokenizer.ggml.merges"),
            preTokenizer: gguf.string("tokenizer.ggml.pre"),
            bosID: keys.optionalID("tokenizer.ggml.bos_token_id"),
            eosID: keys.optionalID("tokenizer.ggml.eos_token_id"),
            eotID: keys.optionalID("tokenizer.ggml.eot_token_id"),
            eomID: keys.optionalID("tokenizer.ggml.eom_token_id"),
            unknownID: keys.optionalID("tokenizer.ggml.unknown_token_id"),
            addBOS: keys.optionalBool("tokenizer.ggml.add_bos_token", default: false),
            addEOS: keys.optionalBool("tokenizer.ggml.add_eos_token", default: false),
            source: gguf.path)
    }
}

extension SentencePieceTokenizer {
    /// The SentencePiece tokenizer of a GGUF file (`tokenizer.ggml.model = llama`).
    ///
    /// Reads `tokens`, `scores` and `token_type` (optional: 0 and normal if absent), the token
    /// ids with llama.cpp's defaults for this model (bos 1, eos 2, unknown 0, each dropped if
    /// outside the vocabulary), `add_bos_token` (default true), `add_eos_token` (default false)
    /// and `add_space_prefix` (default true). `tokenizer.ggml.pre` is not read: llama.cpp has no
    /// pre-tokenizer for this model.
    ///
    /// `gemma4` is read the same way with `tokenizer.ggml.merges` (merged by rank), no default
    /// token ids, `add_space_prefix` false unless set, and BOS always added (llama.cpp overrides
    /// Gemma 4's `add_bos_token`, PR 21500).
    public convenience init(gguf: GGUFFile) throws {
        let model = try gguf.string("tokenizer.ggml.model")
        guard model == "llama" || model == "gemma4" else {
            throw TokenizerError.unsupportedModel(file: gguf.path, found: model, supported: "llama (SentencePiece), gemma4")
        }
        let isGemma4 = model == "gemma4"
        let keys = CommonTokenizerKeys(gguf: gguf)
        let tokens = try keys.tokens
        func id(_ key: String, default value: Int32?) throws -> Int32? {
            if gguf.has(key) { return try keys.optionalID(key) }
            return value.flatMap { Int($0) < tokens.count ? $0 : nil }
        }
        try self.init(
            tokens: tokens,
            scores: keys.scores,
            tokenTypes: keys.tokenTypes,
            bosID: id("tokenizer.ggml.bos_token_id", default: isGemma4 ? nil : 1),
            eosID: id("tokenizer.ggml.eos_token_id", default: isGemma4 ? nil : 2),
            eotID: keys.optionalID("tokenizer.ggml.eot_token_id"),
            eomID: keys.optionalID("tokenizer.ggml.eom_token_id"),
            unknownID: id("tokenizer.ggml.unknown_token_id", default: isGemma4 ? nil : 0),
            addBOS: isGemma4 || keys.optionalBool("tokenizer.ggml.add_bos_token", default: true),
            addEOS: keys.optionalBool("tokenizer.ggml.add_eos_token", default: false),
            addSpacePrefix: keys.optionalBool("tokenizer.ggml.add_space_prefix", default: !isGemma4),
            modelName: gguf.has("general.name") ? gguf.string("general.name") : "",
            merges: isGemma4 ? gguf.stringArray("tokenizer.ggml.merges") : nil,
            source: gguf.path)
    }
}
