import Foundation
import ModelFiles
import Tensors

/// One encoder layer's weights (PyTorch layout: a linear weight is [out, in]).
struct BertLayerWeights: Sendable {
    /// query, key and value stacked: [3·hidden, hidden] = [1152, 384], so one sgemm makes all three.
    let queryKeyValue: Matrix
    let queryKeyValueBias: [Float]          // [1152]
    let attentionOutput: Matrix             // [384, 384]
    let attentionOutputBias: [Float]        // [384]
    let attentionNormWeight: [Float]        // [384] γ
    let attentionNormBias: [Float]          // [384] β
    let intermediate: Matrix                // [1536, 384] W1
    let intermediateBias: [Float]           // [1536]
    let output: Matrix                      // [384, 1536] W2
    let outputBias: [Float]                 // [384]
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

    init(file: SafetensorsFile, config: BertConfig.Transformer) throws {
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
                queryKeyValue: Matrix(rows: 3 * hidden, columns: hidden, values: q.values + k.values + v.values),
                queryKeyValueBias: try vector(p + "attention.self.query.bias", hidden)
                    + vector(p + "attention.self.key.bias", hidden)
                    + vector(p + "attention.self.value.bias", hidden),
                attentionOutput: try matrix(p + "attention.output.dense.weight", hidden, hidden),
                attentionOutputBias: try vector(p + "attention.output.dense.bias", hidden),
                attentionNormWeight: try vector(p + "attention.output.LayerNorm.weight", hidden),
                attentionNormBias: try vector(p + "attention.output.LayerNorm.bias", hidden),
                intermediate: try matrix(p + "intermediate.dense.weight", ffn, hidden),
                intermediateBias: try vector(p + "intermediate.dense.bias", ffn),
                output: try matrix(p + "output.dense.weight", hidden, ffn),
                outputBias: try vector(p + "output.dense.bias", hidden),
                outputNormWeight: try vector(p + "output.LayerNorm.weight", hidden),
                outputNormBias: try vector(p + "output.LayerNorm.bias", hidden))
        }
    }
}
