import BertEncoder
import Foundation
import Ingest

/// A text's embedding, with the word pieces the encoder saw; the JSON shape of `trove embed --json`.
public struct Embedding: Codable, Sendable, Equatable {
    public var text: String
    /// Word-piece ids with [CLS] and [SEP], truncated to the encoder's window.
    public var inputIDs: [Int32]
    /// The word pieces as strings.
    public var tokens: [String]
    /// The L2-normalised mean-pooled embedding.
    public var embedding: [Float]

    enum CodingKeys: String, CodingKey {
        case text, tokens, embedding
        case inputIDs = "input_ids"
    }
}

extension TroveIndex {
    /// Embeds texts with the encoder (batched), returning ids, word pieces and vectors.
    public func embed(_ texts: [String]) throws -> [Embedding] {
        let encoder = try encoder()
        let vectors = try during("embedding \(texts.count) texts") { try encoder.embed(texts) }
        return zip(texts, vectors).map { text, vector in
            Embedding(text: text, inputIDs: encoder.tokenize(text), tokens: encoder.tokens(text), embedding: vector)
        }
    }
}

extension TroveIndex {
    /// The embeddings of several queries in one encoder pass (the vectors `search` would compute
    /// for each, up to float rounding: a batch's matrix products round differently in the last
    /// bit). One pass reads the encoder's weights once for all of them.
    public func embedQueries(_ queries: [String]) throws -> [[Float]] {
        let encoder = try encoder()
        return try during("embedding \(queries.count) queries") { try encoder.embed(queries) }
    }
}

/// The BERT encoder is what the ingest pipeline embeds chunks with: `TextEmbedder` already has
/// the members `ChunkEncoder` asks for (identity, dimension, window, word-piece count, embed).
extension TextEmbedder: ChunkEncoder {
    /// ``EncoderPrecision``'s name, recorded in the index as `encoder_precision`.
    public var vectorPrecision: String { precision.rawValue }
}
