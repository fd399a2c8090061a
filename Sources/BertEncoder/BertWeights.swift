import Foundation
import ModelFiles
import Tensors

/// One encoder layer's weights (PyTorch layout: a linear weight is [out, in]). The linear layers
/// are held in the encoder's ``EncoderPrecision``; norms and biases stay float32.
struct BertLayerWeights: Sendable {
    /// query, key and value stacked: [3·hidden, hidden] = [1152, 384], so one product makes all three.
    let queryKeyValue: LinearLayer          // [1152, 384], bias [1152]
    let attentionOutput: LinearLayer        // [384, 384], bias [384]
    let attentionNormWeight: [Float]        // [384] γ
    let attentionNormBias: [Float]          // [384] β
    let intermediate: LinearLayer           // [1536, 384] W1, bias [1536]
    let output: LinearLayer                 // [384, 1536] W2, bias [384]
    let outputNormWeight: [Float]           // [384]
    let outputNormBias: [Float]             // [384]
}

/// Every tensor the forward pass reads, copied out of `model.safetensors` with its shape checked
/// against the configuration. A missing or wrong-shaped tensor is an error naming it.
/// (`pooler.*` is not read: sentence-transformers mean-pools the last hidden state instead.)
struct BertWeights: Sendable {
    let wordEmbeddings: Matrix              // [30522, 384]
    let positionEmbeddings: Matrix          // [512, 384]
    let tokenTypeEmbeddings: Matrix         // [2, 384]
    let embeddingNormWeight: [Float]        // [384]
    let embeddingNormBias: [Float]          // [384]
    let layers: [BertLayerWeights]          // 6

    init(file: SafetensorsFile, config: BertConfig.Transformer, precision: EncoderPrecision = .fp32) throws {
        // Checkpoints saved from BertForX carry a "bert." prefix; BertModel's do not.
        let prefix = file.tensors["embeddings.word_embeddings.weight"] == nil
            && file.tensors["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        let hidden = config.hiddenSize, ffn = config.intermediateSize
        func vector(_ name: String, _ count: Int) throws -> [Float] {
            try file.floats(prefix + name, shape: [count])
        }
        func matrix(_ name: String, _ rows: Int, _ columns: Int) throws -> Matrix {
            Matrix(rows: rows, columns: columns, values: try file.floats(prefix + name, shape: [rows, columns]))
        }
        func linear(_ weight: Matrix, _ bias: [Float]) -> LinearLayer {
            LinearLayer(weight: weight, bias: bias, precision: precision.linear)
        }

        wordEmbeddings = try matrix("embeddings.word_embeddings.weight", config.vocabSize, hidden)
        positionEmbeddings = try matrix("embeddings.position_embeddings.weight", config.maxPositionEmbeddings, hidden)
        tokenTypeEmbeddings = try matrix("embeddings.token_type_embeddings.weight", config.typeVocabSize, hidden)
        embeddingNormWeight = try vector("embeddings.LayerNorm.weight", hidden)
        embeddingNormBias = try vector("embeddings.LayerNorm.bias", hidden)

        layers = try (0..<config.numHiddenLayers).map { l in
            let p = "encoder.layer.\(l)."
            let q = try matrix(p + "attention.self.query.weight", hidden, hidden)
            let k = try matrix(p + "attention.self.key.weight", hidden, hidden)
            let v = try matrix(p + "attention.self.value.weight", hidden, hidden)
            return BertLayerWeights(
                queryKeyValue: linear(Matrix(rows: 3 * hidden, columns: hidden, values: q.values + k.values + v.values),
                                      try vector(p + "attention.self.query.bias", hidden)
                                          + vector(p + "attention.self.key.bias", hidden)
                                          + vector(p + "attention.self.value.bias", hidden)),
                attentionOutput: linear(try matrix(p + "attention.output.dense.weight", hidden, hidden),
                                        try vector(p + "attention.output.dense.bias", hidden)),
                attentionNormWeight: try vector(p + "attention.output.LayerNorm.weight", hidden),
                attentionNormBias: try vector(p + "attention.output.LayerNorm.bias", hidden),
                intermediate: linear(try matrix(p + "intermediate.dense.weight", ffn, hidden),
                                     try vector(p + "intermediate.dense.bias", ffn)),
                output: linear(try matrix(p + "output.dense.weight", hidden, ffn),
                               try vector(p + "output.dense.bias", hidden)),
                outputNormWeight: try vector(p + "output.LayerNorm.weight", hidden),
                outputNormBias: try vector(p + "output.LayerNorm.bias", hidden))
        }
    }
}
