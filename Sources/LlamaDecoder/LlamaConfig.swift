import ModelFiles

/// The hyper-parameters of a llama-family model, read from a GGUF file's `llama.*` metadata.
///
/// SmolLM2-135M: 30 layers, 576 wide, 9 query heads sharing 3 KV heads (head dimension 64),
/// SwiGLU MLP of 1536, RMSNorm ε 1e-5, RoPE base 100000, 49152 tokens, context 8192.
public struct LlamaConfig: Sendable, Equatable {
    /// `llama.block_count`: decoder layers.
    public var layerCount: Int
    /// `llama.embedding_length`: the residual stream's width.
    public var embeddingLength: Int
    /// `llama.feed_forward_length`: the MLP's hidden width.
    public var feedForwardLength: Int
    /// `llama.attention.head_count`: query heads.
    public var headCount: Int
    /// `llama.attention.head_count_kv`: key/value heads (grouped-query attention), default headCount.
    public var kvHeadCount: Int
    /// `llama.rope.freq_base`, default 10000.
    public var ropeFrequencyBase: Float
    /// `llama.attention.layer_norm_rms_epsilon`.
    public var rmsNormEpsilon: Float
    /// `llama.context_length`: positions the model was trained for.
    public var contextLength: Int
    /// `llama.vocab_size`, else the length of `tokenizer.ggml.tokens`.
    public var vocabularySize: Int

    /// embeddingLength / headCount (64 for SmolLM2).
    public var headDimension: Int { embeddingLength / headCount }
    /// Query heads per KV head (3 for SmolLM2).
    public var groupSize: Int { headCount / kvHeadCount }

    /// A configuration given field by field (tests, or a model built in memory).
    public init(layerCount: Int, embeddingLength: Int, feedForwardLength: Int, headCount: Int, kvHeadCount: Int,
                ropeFrequencyBase: Float, rmsNormEpsilon: Float, contextLength: Int, vocabularySize: Int) {
        self.layerCount = layerCount
        self.embeddingLength = embeddingLength
        self.feedForwardLength = feedForwardLength
        self.headCount = headCount
        self.kvHeadCount = kvHeadCount
        self.ropeFrequencyBase = ropeFrequencyBase
        self.rmsNormEpsilon = rmsNormEpsilon
        self.contextLength = contextLength
        self.vocabularySize = vocabularySize
    }

    /// Reads the configuration from GGUF metadata; `file` names the file in errors. Refuses any
    /// architecture other than `llama`, and values the graph cannot run (heads not dividing the
    /// width, KV heads not dividing the heads, a partial RoPE dimension).
    public init(metadata: [String: GGUFValue], file: String) throws {
        let architecture = metadata["general.architecture"]?.stringValue ?? "(none)"
        guard architecture == "llama" else {
            throw LlamaDecoderError.unsupportedArchitecture(file: file, found: architecture)
        }
        func integer(_ key: String, default value: Int? = nil) throws -> Int {
            guard let entry = metadata[key] else {
                if let value { return value }
                throw LlamaDecoderError.missingMetadata(file: file, key: key)
            }
            guard let n = entry.integerValue, n > 0 else {
                throw LlamaDecoderError.invalidMetadata(file: file, key: key, expected: "a positive integer", found: entry.description)
            }
            return n
        }
        func real(_ key: String, default value: Float? = nil) throws -> Float {
            guard let entry = metadata[key] else {
                if let value { return value }
                throw LlamaDecoderError.missingMetadata(file: file, key: key)
            }
            guard let x = entry.floatingValue, x > 0 else {
                throw LlamaDecoderError.invalidMetadata(file: file, key: key, expected: "a positive float", found: entry.description)
            }
            return Float(x)
        }
        layerCount = try integer("llama.block_count")
        embeddingLength = try integer("llama.embedding_length")
        feedForwardLength = try integer("llama.feed_forward_length")
        headCount = try integer("llama.attention.head_count")
        kvHeadCount = try integer("llama.attention.head_count_kv", default: headCount)
        ropeFrequencyBase = try real("llama.rope.freq_base", default: 10_000)
        rmsNormEpsilon = try real("llama.attention.layer_norm_rms_epsilon")
        contextLength = try integer("llama.context_length")
        if let size = metadata["llama.vocab_size"] {
            guard let n = size.integerValue, n > 0 else {
                throw LlamaDecoderError.invalidMetadata(file: file, key: "llama.vocab_size", expected: "a positive integer", found: size.description)
            }
            vocabularySize = n
        } else if let tokens = metadata["tokenizer.ggml.tokens"]?.arrayValues {
            vocabularySize = tokens.count
        } else {
            throw LlamaDecoderError.missingMetadata(file: file, key: "llama.vocab_size")
        }
        guard embeddingLength % headCount == 0, headDimension % 2 == 0 else {
            throw LlamaDecoderError.invalidMetadata(file: file, key: "llama.attention.head_count",
                                                   expected: "a divisor of embedding_length \(embeddingLength) giving an even head dimension",
                                                   found: "\(headCount)")
        }
        guard headCount % kvHeadCount == 0 else {
            throw LlamaDecoderError.invalidMetadata(file: file, key: "llama.attention.head_count_kv",
                                                   expected: "a divisor of head_count \(headCount)", found: "\(kvHeadCount)")
        }
        if let rot = metadata["llama.rope.dimension_count"], rot.integerValue != headDimension {
            throw LlamaDecoderError.invalidMetadata(file: file, key: "llama.rope.dimension_count",
                                                   expected: "\(headDimension) (the head dimension)", found: rot.description)
        }
    }
}
