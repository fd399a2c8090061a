import Tensors

/// One tensor as the model file holds it: ggml-order dimensions (ne0 first), ggml type id and
/// name, and its raw bytes (blocks for quantized types) inside the mapped file.
public struct RawTensor {
    /// Dimensions, ne0 (the contiguous one) first: a linear layer [in, out].
    public var dimensions: [Int]
    /// ggml's type id (0 F32, 1 F16, 2 Q4_0, 3 Q4_1, 8 Q8_0, 30 BF16, …).
    public var ggmlType: UInt32
    /// ggml's type name, for error messages.
    public var typeName: String
    /// The tensor's bytes.
    public var bytes: UnsafeRawBufferPointer

    /// A tensor description; `bytes` must stay valid as long as the weights are used.
    public init(dimensions: [Int], ggmlType: UInt32, typeName: String, bytes: UnsafeRawBufferPointer) {
        self.dimensions = dimensions
        self.ggmlType = ggmlType
        self.typeName = typeName
        self.bytes = bytes
    }
}

/// The weights of one decoder layer. Matrices are [out, in] row-major in their file encoding;
/// dim is the width, qLen = heads·hd, kvLen = kvHeads·hd, ff the MLP width. What a family lacks is nil.
public struct LlamaLayerWeights: @unchecked Sendable {
    /// `blk.N.attn_norm.weight` [dim].
    public let attentionNorm: [Float]
    /// `attn_q` [qLen, dim], `attn_k`/`attn_v` [kvLen, dim]: row ranges of `attn_qkv` when fused (phi3).
    public let query, key, value: QuantizedMatrix
    /// `attn_q.bias` [qLen], `attn_k.bias`/`attn_v.bias` [kvLen] (qwen2), or the ranges of `attn_qkv.bias`.
    public let queryBias, keyBias, valueBias: [Float]?
    /// `attn_q_norm`/`attn_k_norm` [hd]: RMSNorm of each query and key head (qwen3, gemma3).
    public let queryNorm, keyNorm: [Float]?
    /// `attn_output` [dim, qLen].
    public let attentionOutput: QuantizedMatrix
    /// `post_attention_norm` [dim]: RMSNorm of the attention output before the residual add (gemma3).
    public let postAttentionNorm: [Float]?
    /// `ffn_norm` [dim].
    public let feedForwardNorm: [Float]
    /// `ffn_gate` (W1) and `ffn_up` (W3) [ff, dim] (phi3: the two halves of `ffn_up` [2·ff, dim]); `ffn_down` (W2) [dim, ff].
    public let gate, up, down: QuantizedMatrix
    /// `post_ffw_norm` [dim]: RMSNorm of the MLP output before the residual add (gemma3).
    public let postFeedForwardNorm: [Float]?
}

/// Every tensor of a decoder, checked by name, shape and type against the configuration.
/// Matrices are views into the mapped file (no copy); norm vectors and biases are copied as float32.
public struct LlamaWeights: @unchecked Sendable {
    /// `token_embd.weight` [vocab, dim] (Q8_0 in SmolLM2).
    public let tokenEmbedding: QuantizedMatrix
    /// The layers in order.
    public let layers: [LlamaLayerWeights]
    /// `output_norm.weight` [dim].
    public let outputNorm: [Float]
    /// `output.weight` [vocab, dim], or the token embedding when the file has none (tied).
    public let output: QuantizedMatrix
    /// Whether the output projection is the token embedding.
    public let outputIsTied: Bool
    /// RoPE's per-pair frequency divisors [rot/2]: `rope_freqs` (Llama 3.x) or `rope_factors_short` (Phi-3.5), else nil.
    public let ropeFrequencyFactors: [Float]?
    /// `rope_factors_long` [rot/2] (Phi-3.5): the divisors for caches longer than the original context.
    public let longRopeFrequencyFactors: [Float]?
    /// Every tensor name this architecture's graph asked the file for, present or not.
    public let consultedNames: Set<String>

    /// Collects and checks every tensor through `tensor(name)` (nil when absent); `file` names the file in errors.
    public init(config: LlamaConfig, file: String, tensor: @escaping (String) throws -> RawTensor?) throws {
        let dim = config.embeddingLength, hd = config.headDimension, ff = config.feedForwardLength
        let qLen = config.queryLength, kvLen = config.keyValueLength, vocab = config.vocabularySize
        let arch = config.architecture
        let reader = TensorReader(file: file, lookup: tensor)

        // Matrices that the integer products read get an interleaved copy where the CPU has the
        // kernels for it (QuantizedMatrix.withInterleavedRows; Q4_K and Q6_K with AVX-512 VNNI):
        // decoding reads ~2× faster. The embedding lookup keeps reading the file's rows.
        tokenEmbedding = try reader.matrix("token_embd.weight", columns: dim, rows: vocab)
        layers = try (0 ..< config.layerCount).map { i in
            let p = "blk.\(i)."
            // Q, K, V: three tensors, or one [qLen + 2·kvLen, dim] whose row ranges they are.
            let q, k, v: QuantizedMatrix
            var qb, kb, vb: [Float]?
            if let qkv = try reader.optionalMatrix(p + "attn_qkv.weight", columns: dim, rows: qLen + 2 * kvLen) {
                (q, k, v) = (qkv.rows(0 ..< qLen), qkv.rows(qLen ..< qLen + kvLen), qkv.rows(qLen + kvLen ..< qLen + 2 * kvLen))
                if let b = try reader.optionalVector(p + "attn_qkv.bias", qLen + 2 * kvLen) {
                    (qb, kb, vb) = (Array(b[0 ..< qLen]), Array(b[qLen ..< qLen + kvLen]), Array(b[(qLen + kvLen)...]))
                }
            } else {
                q = try reader.matrix(p + "attn_q.weight", columns: dim, rows: qLen)
                k = try reader.matrix(p + "attn_k.weight", columns: dim, rows: kvLen)
                v = try reader.matrix(p + "attn_v.weight", columns: dim, rows: kvLen)
            }
            if qb == nil {
                qb = try reader.optionalVector(p + "attn_q.bias", qLen)
                kb = try reader.optionalVector(p + "attn_k.bias", kvLen)
                vb = try reader.optionalVector(p + "attn_v.bias", kvLen)
            }
            let headNorms = arch == .qwen3 || arch == .gemma3
            let postNorms = arch == .gemma3
            // Gate and up: two tensors, or (phi3) one [2·ff, dim] holding gate rows, then up rows.
            let gate, up: QuantizedMatrix
            if arch == .phi3 {
                let fused = try reader.matrix(p + "ffn_up.weight", columns: dim, rows: 2 * ff)
                (gate, up) = (fused.rows(0 ..< ff), fused.rows(ff ..< 2 * ff))
            } else {
                gate = try reader.matrix(p + "ffn_gate.weight", columns: dim, rows: ff)
                up = try reader.matrix(p + "ffn_up.weight", columns: dim, rows: ff)
            }
            return LlamaLayerWeights(
                attentionNorm: try reader.vector(p + "attn_norm.weight", dim),
                query: q.withInterleavedRows(), key: k.withInterleavedRows(), value: v.withInterleavedRows(), queryBias: qb, keyBias: kb, valueBias: vb,
                queryNorm: headNorms ? try reader.vector(p + "attn_q_norm.weight", hd) : nil,
                keyNorm: headNorms ? try reader.vector(p + "attn_k_norm.weight", hd) : nil,
                attentionOutput: try reader.matrix(p + "attn_output.weight", columns: qLen, rows: dim).withInterleavedRows(),
                postAttentionNorm: postNorms ? try reader.vector(p + "post_attention_norm.weight", dim) : nil,
                feedForwardNorm: try reader.vector(p + "ffn_norm.weight", dim),
                gate: gate.withInterleavedRows(), up: up.withInterleavedRows(),
                down: try reader.matrix(p + "ffn_down.weight", columns: ff, rows: dim).withInterleavedRows(),
                postFeedForwardNorm: postNorms ? try reader.vector(p + "post_ffw_norm.weight", dim) : nil)
        }
        outputNorm = try reader.vector("output_norm.weight", dim)
        if let untied = try reader.optionalMatrix("output.weight", columns: dim, rows: vocab) {
            (output, outputIsTied) = (untied.withInterleavedRows(), false)
        } else {
            (output, outputIsTied) = (tokenEmbedding.withInterleavedRows(), true)
        }
        // RoPE frequency factors (llama.cpp `get_rope_factors`): Llama 3.x's `rope_freqs`; Phi-3.5's
        // short factors, and its long ones for caches longer than rope.scaling.original_context_length.
        let pairs = config.rotaryDimension / 2
        if arch == .llama || arch == .phi3 {
            let short = try reader.optionalVector("rope_factors_short.weight", pairs)
            longRopeFrequencyFactors = try reader.optionalVector("rope_factors_long.weight", pairs)
            ropeFrequencyFactors = arch == .llama ? try reader.optionalVector("rope_freqs.weight", pairs) ?? short : short
        } else {
            (ropeFrequencyFactors, longRopeFrequencyFactors) = (nil, nil)
        }
        consultedNames = reader.consulted
    }
}
