import ModelFiles
import Tokenizers

extension ByteLevelBPETokenizer {
    /// The tokenizer stored in a GGUF file's `tokenizer.ggml.*` keys.
    ///
    /// Reads `model` (must be `gpt2`: byte-level BPE), `pre`, `tokens`, `token_type` (optional:
    /// all normal if absent), `merges`, the `bos`/`eos`/`eot`/`eom`/`unknown` token ids and
    /// `add_bos_token`/`add_eos_token` (false if absent). Errors name the file and the key.
    ///
    /// ```swift
    /// let gguf = try GGUFFile(url: modelURL)
    /// let tokenizer = try ByteLevelBPETokenizer(gguf: gguf)
    /// ```
    public convenience init(gguf: GGUFFile) throws {
        let model = try gguf.string("tokenizer.ggml.model")
        guard model == "gpt2" else {
            throw TokenizerError.unsupportedModel(file: gguf.path, found: model, supported: "gpt2 (byte-level BPE)")
        }
        guard gguf.has("tokenizer.ggml.pre") else {
            throw TokenizerError.unsupportedPreTokenizer(file: gguf.path, found: "(no tokenizer.ggml.pre key)", supported: PreTokenizer.supportedNames)
        }
        func optionalID(_ key: String) throws -> Int32? {
            guard gguf.has(key) else { return nil }
            let value = try gguf.integer(key)
            guard let id = Int32(exactly: value) else {
                throw ModelFileError.wrongValueType(file: gguf.path, key: key, expected: "a token id", found: "\(value)")
            }
            return id
        }
        func optionalBool(_ key: String) throws -> Bool { gguf.has(key) ? try gguf.bool(key) : false }
        try self.init(
            tokens: gguf.stringArray("tokenizer.ggml.tokens"),
            tokenTypes: gguf.has("tokenizer.ggml.token_type") ? gguf.int32Array("tokenizer.ggml.token_type") : [],
            merges: gguf.stringArray("tokenizer.ggml.merges"),
            preTokenizer: gguf.string("tokenizer.ggml.pre"),
            bosID: optionalID("tokenizer.ggml.bos_token_id"),
            eosID: optionalID("tokenizer.ggml.eos_token_id"),
            eotID: optionalID("tokenizer.ggml.eot_token_id"),
            eomID: optionalID("tokenizer.ggml.eom_token_id"),
            unknownID: optionalID("tokenizer.ggml.unknown_token_id"),
            addBOS: optionalBool("tokenizer.ggml.add_bos_token"),
            addEOS: optionalBool("tokenizer.ggml.add_eos_token"),
            source: gguf.path)
    }
}
