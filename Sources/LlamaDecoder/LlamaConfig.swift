import Tensors

/// The decoder families Trove runs, as GGUF's `general.architecture` names them. They share one
/// forward pass (``LlamaModel``); what differs is read into ``LlamaConfig`` and ``LlamaWeights``.
public enum DecoderArchitecture: String, CaseIterable, Sendable {
    /// Llama 2/3.x, SmolLM, TinyLlama: RoPE on adjacent pairs, optional `rope_freqs` (Llama 3.x).
    case llama
    /// Qwen2/2.5: Q/K/V biases, RoPE on halves.
    case qwen2
    /// Qwen3: per-head RMSNorm of queries and keys, head dimension from `attention.key_length`.
    case qwen3
    /// Gemma 3: scaled embedding, norms after attention and MLP, GeGLU-tanh, sliding-window layers.
    case gemma3
    /// Phi-3/3.5/4-mini: fused `attn_qkv` and fused gate/up `ffn_up`, optional partial rotation.
    case phi3

    /// The names, for error messages: "llama, qwen2, qwen3, gemma3, phi3".
    public static var supportedNames: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// The MLP's gate activation: `W2 · (act(W1·x) ⊙ W3·x)`.
public enum FeedForwardActivation: Sendable, Equatable {
    /// SwiGLU, `silu(g) = g·σ(g)` (llama, qwen, phi3).
    case silu
    /// GeGLU with GELU's tanh form (gemma3).
    case geluTanh
}

/// The hyper-parameters of a decoder, read from a GGUF file's metadata (keys prefixed by the
/// architecture's name: `llama.block_count`, `qwen3.attention.key_length`, …; see LlamaConfig+GGUF.swift).
///
/// SmolLM2-135M (`llama`): 30 layers, 576 wide, 9 query heads sharing 3 KV heads of 64, SwiGLU MLP of
/// 1536, RMSNorm ε 1e-5, RoPE base 100000 on adjacent pairs, 49152 tokens, context 8192.
public struct LlamaConfig: Sendable, Equatable {
    /// `general.architecture`.
    public var architecture: DecoderArchitecture
    /// `block_count`: decoder layers.
    public var layerCount: Int
    /// `embedding_length`: the residual stream's width.
    public var embeddingLength: Int
    /// `feed_forward_length`: the MLP's hidden width.
    public var feedForwardLength: Int
    /// `attention.head_count`: query heads.
    public var headCount: Int
    /// `attention.head_count_kv`: key/value heads (grouped-query attention), default headCount.
    public var kvHeadCount: Int
    /// `attention.key_length` (= value_length): values per head, default embeddingLength / headCount.
    public var headDimension: Int
    /// `rope.freq_base`, default 10000 (the global layers' base when some layers slide).
    public var ropeFrequencyBase: Float
    /// How RoPE pairs values, fixed by the architecture (llama.cpp's `llama_model_rope_type`).
    public var ropePairing: RotaryEmbedding.Pairing
    /// `rope.dimension_count`: values rotated per head (partial rotation when below headDimension).
    public var rotaryDimension: Int
    /// 1 / `rope.scaling.factor` when `rope.scaling.type` is `linear`, else 1.
    public var ropeFrequencyScale: Float
    /// `rope.scaling.attn_factor`: multiplies RoPE's cos and sin (Phi-3.5's long-context correction), default 1.
    public var ropeMagnitudeScale: Float
    /// `rope.scaling.original_context_length`, else contextLength: a KV cache longer than this
    /// rotates by the long frequency factors (Phi-3.5's `rope_factors_long`), as llama.cpp does.
    public var ropeOriginalContextLength: Int
    /// `attention.layer_norm_rms_epsilon`.
    public var rmsNormEpsilon: Float
    /// `context_length`: positions the model was trained for.
    public var contextLength: Int
    /// `vocab_size`, else the length of `tokenizer.ggml.tokens`.
    public var vocabularySize: Int
    /// `attention.sliding_window` (gemma3): a sliding layer's query sees the last `slidingWindow` positions, itself included.
    public var slidingWindow: Int?
    /// Which layers slide (gemma3: 5 of every 6, `attention.sliding_window_pattern`); empty when none do.
    public var slidingLayers: Set<Int>
    /// `rope.freq_base_swa`: the sliding layers' RoPE base (gemma3: 10000).
    public var localRopeFrequencyBase: Float
    /// The factor the token embedding is multiplied by (gemma3: √embeddingLength), else nil.
    public var embeddingScale: Float?
    /// The MLP's gate activation.
    public var activation: FeedForwardActivation
    /// The factor q·k is multiplied by before the softmax: 1/√headDimension (gemma3 27B: 1/√(dim/heads)).
    public var attentionScale: Float
    /// `final_logit_softcapping` (gemma3): logits become c·tanh(logits/c); nil for none.
    public var finalLogitSoftcap: Float?

    /// headCount · headDimension: the width of the queries and of the attention output.
    public var queryLength: Int { headCount * headDimension }
    /// kvHeadCount · headDimension: the width of the keys and of the values.
    public var keyValueLength: Int { kvHeadCount * headDimension }
    /// Query heads per KV head (3 for SmolLM2).
    public var groupSize: Int { headCount / kvHeadCount }

    /// A configuration given field by field (tests, or a model built in memory); what is not
    /// given is plain llama: head dimension width/heads, whole-head RoPE on adjacent pairs, SwiGLU.
    public init(architecture: DecoderArchitecture = .llama, layerCount: Int, embeddingLength: Int, feedForwardLength: Int,
                headCount: Int, kvHeadCount: Int, headDimension: Int? = nil, ropeFrequencyBase: Float,
                ropePairing: RotaryEmbedding.Pairing = .adjacent, rotaryDimension: Int? = nil, ropeFrequencyScale: Float = 1,
                ropeMagnitudeScale: Float = 1, ropeOriginalContextLength: Int? = nil, rmsNormEpsilon: Float, contextLength: Int, vocabularySize: Int,
                slidingWindow: Int? = nil, slidingLayers: Set<Int> = [], localRopeFrequencyBase: Float = 10_000,
                embeddingScale: Float? = nil, activation: FeedForwardActivation = .silu, attentionScale: Float? = nil,
                finalLogitSoftcap: Float? = nil) {
        let headDimension = headDimension ?? embeddingLength / headCount
        self.architecture = architecture
        self.layerCount = layerCount
        self.embeddingLength = embeddingLength
        self.feedForwardLength = feedForwardLength
        self.headCount = headCount
        self.kvHeadCount = kvHeadCount
        self.headDimension = headDimension
        self.ropeFrequencyBase = ropeFrequencyBase
        self.ropePairing = ropePairing
        self.rotaryDimension = rotaryDimension ?? headDimension
        self.ropeFrequencyScale = ropeFrequencyScale
        self.ropeMagnitudeScale = ropeMagnitudeScale
        self.ropeOriginalContextLength = ropeOriginalContextLength ?? contextLength
        self.rmsNormEpsilon = rmsNormEpsilon
        self.contextLength = contextLength
        self.vocabularySize = vocabularySize
        self.slidingWindow = slidingWindow
        self.slidingLayers = slidingLayers
        self.localRopeFrequencyBase = localRopeFrequencyBase
        self.embeddingScale = embeddingScale
        self.activation = activation
        self.attentionScale = attentionScale ?? 1 / Float(headDimension).squareRoot()
        self.finalLogitSoftcap = finalLogitSoftcap
    }

    /// Whether layer `l` attends over a sliding window rather than the whole context.
    public func isSliding(layer l: Int) -> Bool { slidingWindow != nil && slidingLayers.contains(l) }
}
