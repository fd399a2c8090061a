import Foundation

/// The hyper-parameters of a sentence-transformers BERT model, read from three files of its
/// folder: `config.json` (the transformer), `sentence_bert_config.json` (the sequence limit that
/// sentence-transformers applies, which overrides tokenizer.json's) and `1_Pooling/config.json`.
public struct BertConfig: Sendable, Equatable {
    /// config.json, with the names it uses.
    public struct Transformer: Codable, Sendable, Equatable {
        /// Width of every hidden state (384); the other fields follow config.json's names.
        public var hiddenSize: Int               // 384
        public var numHiddenLayers: Int          // 6
        public var numAttentionHeads: Int        // 12
        public var intermediateSize: Int         // 1536
        public var hiddenAct: String             // "gelu" (the exact erf form)
        public var layerNormEps: Float           // 1e-12
        public var maxPositionEmbeddings: Int    // 512
        public var typeVocabSize: Int            // 2
        public var vocabSize: Int                // 30522

        enum CodingKeys: String, CodingKey {
            case hiddenSize = "hidden_size"
            case numHiddenLayers = "num_hidden_layers"
            case numAttentionHeads = "num_attention_heads"
            case intermediateSize = "intermediate_size"
            case hiddenAct = "hidden_act"
            case layerNormEps = "layer_norm_eps"
            case maxPositionEmbeddings = "max_position_embeddings"
            case typeVocabSize = "type_vocab_size"
            case vocabSize = "vocab_size"
        }
    }

    /// sentence_bert_config.json.
    public struct SentenceBert: Codable, Sendable, Equatable {
        /// Word pieces per text including [CLS] and [SEP] (256 for all-MiniLM-L6-v2).
        public var maxSeqLength: Int
        enum CodingKeys: String, CodingKey { case maxSeqLength = "max_seq_length" }
    }

    /// 1_Pooling/config.json: which pooling the model was trained with. Only mean pooling is supported.
    public struct Pooling: Codable, Sendable, Equatable {
        /// Width of the pooled vector (must equal hidden_size).
        public var wordEmbeddingDimension: Int
        /// Mean pooling (the only mode supported); the CLS and max modes must be off.
        public var poolingModeMeanTokens: Bool
        public var poolingModeCLSToken: Bool
        public var poolingModeMaxTokens: Bool
        enum CodingKeys: String, CodingKey {
            case wordEmbeddingDimension = "word_embedding_dimension"
            case poolingModeMeanTokens = "pooling_mode_mean_tokens"
            case poolingModeCLSToken = "pooling_mode_cls_token"
            case poolingModeMaxTokens = "pooling_mode_max_tokens"
        }
    }

    /// config.json.
    public var transformer: Transformer
    /// sentence_bert_config.json.
    public var sentenceBert: SentenceBert
    /// 1_Pooling/config.json.
    public var pooling: Pooling

    /// Hidden size of one attention head (384 / 12 = 32).
    public var headSize: Int { transformer.hiddenSize / transformer.numAttentionHeads }

    /// Reads and checks the three files in `folder`.
    public init(folder: URL) throws {
        transformer = try Self.read(Transformer.self, folder.appendingPathComponent("config.json"))
        sentenceBert = try Self.read(SentenceBert.self, folder.appendingPathComponent("sentence_bert_config.json"))
        pooling = try Self.read(Pooling.self, folder.appendingPathComponent("1_Pooling/config.json"))
        try check(folder: folder)
    }

    private func check(folder: URL) throws {
        let config = folder.appendingPathComponent("config.json").path
        let t = transformer
        func bad(_ file: String, _ key: String, _ expected: String, _ found: String) -> BertEncoderError {
            .config(file: file, key: key, expected: expected, found: found)
        }
        guard t.hiddenSize > 0, t.numAttentionHeads > 0, t.hiddenSize % t.numAttentionHeads == 0 else {
            throw bad(config, "num_attention_heads", "a divisor of hidden_size \(t.hiddenSize)", "\(t.numAttentionHeads)")
        }
        guard t.numHiddenLayers > 0, t.intermediateSize > 0, t.vocabSize > 0, t.typeVocabSize > 0 else {
            throw bad(config, "num_hidden_layers/intermediate_size/vocab_size", "positive", "\(t)")
        }
        guard t.hiddenAct == "gelu" else { throw bad(config, "hidden_act", "gelu", t.hiddenAct) }
        let sentence = folder.appendingPathComponent("sentence_bert_config.json").path
        guard sentenceBert.maxSeqLength >= 2, sentenceBert.maxSeqLength <= t.maxPositionEmbeddings else {
            throw bad(sentence, "max_seq_length", "2...\(t.maxPositionEmbeddings) (max_position_embeddings)", "\(sentenceBert.maxSeqLength)")
        }
        let poolingFile = folder.appendingPathComponent("1_Pooling/config.json").path
        guard pooling.poolingModeMeanTokens, !pooling.poolingModeCLSToken, !pooling.poolingModeMaxTokens else {
            throw bad(poolingFile, "pooling_mode_mean_tokens", "mean pooling only", "cls \(pooling.poolingModeCLSToken), max \(pooling.poolingModeMaxTokens), mean \(pooling.poolingModeMeanTokens)")
        }
        guard pooling.wordEmbeddingDimension == t.hiddenSize else {
            throw bad(poolingFile, "word_embedding_dimension", "\(t.hiddenSize) (hidden_size)", "\(pooling.wordEmbeddingDimension)")
        }
    }

    private static func read<T: Decodable>(_ type: T.Type, _ url: URL) throws -> T {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw BertEncoderError.missingFile(file: url.path, reason: error.localizedDescription)
        }
        do { return try JSONDecoder().decode(T.self, from: data) } catch {
            throw BertEncoderError.malformedConfig(file: url.path, reason: Self.describe(error))
        }
    }

    /// A decoding error in words (which key, what was wrong).
    private static func describe(_ error: Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, _): return "key '\(key.stringValue)' is missing"
        case let DecodingError.typeMismatch(type, context):
            return "key '\(context.codingPath.map(\.stringValue).joined(separator: "."))' is not \(type)"
        case let DecodingError.valueNotFound(type, context):
            return "key '\(context.codingPath.map(\.stringValue).joined(separator: "."))' is null, expected \(type)"
        case DecodingError.dataCorrupted: return "not valid JSON"
        default: return "\(error)"
        }
    }
}
