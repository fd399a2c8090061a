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

/// The weights of one decoder layer. Matrices are [out, in] row-major in their file encoding.
public struct LlamaLayerWeights: @unchecked Sendable {
    /// `blk.N.attn_norm.weight` [dim].
    public let attentionNorm: [Float]
    /// `blk.N.attn_q.weight` [dim, dim], `attn_k`/`attn_v` [kvDim, dim], `attn_output` [dim, dim].
    public let query, key, value, attentionOutput: QuantizedMatrix
    /// `blk.N.ffn_norm.weight` [dim].
    public let feedForwardNorm: [Float]
    /// `ffn_gate` (W1) and `ffn_up` (W3) [ff, dim]; `ffn_down` (W2) [dim, ff].
    public let gate, up, down: QuantizedMatrix
}

/// Every tensor of a llama model, checked by name, shape and type against the configuration.
/// Matrices are views into the mapped file (no copy); norm vectors are copied as float32.
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

    /// Collects and checks every tensor through `tensor(name)` (nil when absent); `file` names the file in errors.
    public init(config: LlamaConfig, file: String, tensor: (String) throws -> RawTensor?) throws {
        let dim = config.embeddingLength
        let kvDim = config.kvHeadCount * config.headDimension
        let ff = config.feedForwardLength
        let vocab = config.vocabularySize

        func checked(_ name: String, _ expected: [Int]) throws -> RawTensor {
            guard let t = try tensor(name) else { throw LlamaDecoderError.missingTensor(file: file, tensor: name) }
            guard t.dimensions == expected else {
                throw LlamaDecoderError.tensorShape(file: file, tensor: name, expected: expected, found: t.dimensions)
            }
            return t
        }
        func type(of t: RawTensor, _ name: String) throws -> QuantType {
            guard let type = QuantType(rawValue: t.ggmlType), expectedColumns(t) % type.blockSize == 0 else {
                throw LlamaDecoderError.unsupportedTensorType(file: file, tensor: name, type: t.typeName,
                                                              supported: QuantType.allCases.map(\.description).joined(separator: ", "))
            }
            return type
        }
        func expectedColumns(_ t: RawTensor) -> Int { t.dimensions.first ?? 0 }
        func matrix(_ name: String, columns: Int, rows: Int) throws -> QuantizedMatrix {
            let t = try checked(name, [columns, rows])
            let type = try type(of: t, name)
            let needed = rows * type.rowBytes(columns: columns)
            guard t.bytes.count >= needed, let base = t.bytes.baseAddress else {
                throw LlamaDecoderError.tensorShape(file: file, tensor: name + " (bytes)", expected: [needed], found: [t.bytes.count])
            }
            return QuantizedMatrix(rows: rows, columns: columns, type: type, base: base)
        }
        func vector(_ name: String, _ count: Int) throws -> [Float] {
            let t = try checked(name, [count])
            let type = try type(of: t, name)
            guard t.bytes.count >= type.rowBytes(columns: count), let base = t.bytes.baseAddress else {
                throw LlamaDecoderError.tensorShape(file: file, tensor: name + " (bytes)", expected: [type.rowBytes(columns: count)], found: [t.bytes.count])
            }
            var out = [Float](repeating: 0, count: count)
            out.withUnsafeMutableBufferPointer { type.dequantizeRow(base, $0.baseAddress!, count) }
            return out
        }

        tokenEmbedding = try matrix("token_embd.weight", columns: dim, rows: vocab)
        layers = try (0 ..< config.layerCount).map { i in
            let p = "blk.\(i)."
            return LlamaLayerWeights(
                attentionNorm: try vector(p + "attn_norm.weight", dim),
                query: try matrix(p + "attn_q.weight", columns: dim, rows: dim),
                key: try matrix(p + "attn_k.weight", columns: dim, rows: kvDim),
                value: try matrix(p + "attn_v.weight", columns: dim, rows: kvDim),
                attentionOutput: try matrix(p + "attn_output.weight", columns: dim, rows: dim),
                feedForwardNorm: try vector(p + "ffn_norm.weight", dim),
                gate: try matrix(p + "ffn_gate.weight", columns: dim, rows: ff),
                up: try matrix(p + "ffn_up.weight", columns: dim, rows: ff),
                down: try matrix(p + "ffn_down.weight", columns: ff, rows: dim))
        }
        outputNorm = try vector("output_norm.weight", dim)
        if try tensor("output.weight") != nil {
            output = try matrix("output.weight", columns: dim, rows: vocab)
            outputIsTied = false
        } else {
            output = tokenEmbedding
            outputIsTied = true
        }
    }
}
