import Foundation
import ModelFiles
import Tensors
import Tokenizers

/// Sentence embeddings from a sentence-transformers BERT folder (all-MiniLM-L6-v2 and kin):
/// WordPiece tokens → BERT → mean pooling → L2 normalisation, matching sentence-transformers.
///
/// The folder must hold `config.json`, `sentence_bert_config.json`, `1_Pooling/config.json`,
/// `vocab.txt` and `model.safetensors`.
///
/// Example:
/// ```swift
/// let embedder = try TextEmbedder(modelFolder: URL(fileURLWithPath: "~/.cache/trove/models/all-MiniLM-L6-v2"))
/// let vectors = try embedder.embed(["Hello world", "How are you?"])   // 2 × 384, unit length
/// ```
///
/// Thread-safe: the weights are read-only and `embed` keeps its buffers per call. (While a
/// call runs, OpenBLAS is set to one thread process-wide and restored afterwards; concurrent
/// calls stay correct but may run slower.)
///
/// Speed: every linear layer is one product over all tokens of a batch: in fp32 Tensors' packed
/// AVX-512 kernel (``F32Weight``), or OpenBLAS sgemm on a CPU without AVX-512 (or one int8 or
/// bf16 product: ``EncoderPrecision``). On AMD Zen,
/// OpenBLAS picks its AVX-512 kernels only if `OPENBLAS_CORETYPE=SkylakeX` is in the
/// environment when the process starts (the `trove` CLI re-executes itself with it).
public final class TextEmbedder: @unchecked Sendable {
    /// Length of every embedding (384).
    public let dimension: Int
    /// Most word pieces a text is cut to, [CLS] and [SEP] included (256).
    public let maxTokens: Int
    /// A stable name for this model, its exact files and its precision:
    /// `"<folder name>/<fingerprint>"` plus ``EncoderPrecision/identitySuffix`` (`@int8`, `@bf16`;
    /// nothing for fp32), where the fingerprint hashes the safetensors size and header and the
    /// vocabulary. An index built with one identity refuses queries embedded with another.
    public let identity: String
    /// How the linear layers compute (fp32 unless asked otherwise).
    public let precision: EncoderPrecision
    /// Most tokens packed into one forward pass (bounds memory: about 2048 × 12 KB of activations
    /// per thread; big enough that sgemm runs near its peak).
    public var batchTokenBudget = 2048

    let config: BertConfig
    let tokenizer: WordPieceTokenizer
    let model: BertModel

    /// Loads the model in `modelFolder` with its linear layers in `precision`; throws
    /// ``BertEncoderError`` naming the file and problem.
    public init(modelFolder: URL, precision: EncoderPrecision = .fp32) throws {
        config = try BertConfig(folder: modelFolder)
        self.precision = precision
        for (key, inputs) in [("hidden_size", config.transformer.hiddenSize), ("intermediate_size", config.transformer.intermediateSize)]
        where !LinearLayer.supports(precision.linear, inputs: inputs) {
            throw BertEncoderError.config(file: modelFolder.appendingPathComponent("config.json").path, key: key,
                                          expected: precision == .int8 ? "a multiple of 64 for --encoder-precision int8" : "an even number for --encoder-precision bf16",
                                          found: "\(inputs)")
        }
        let vocabularyURL = modelFolder.appendingPathComponent("vocab.txt")
        do {
            tokenizer = try WordPieceTokenizer(vocabularyFile: vocabularyURL)
        } catch let error as TokenizerError {
            throw BertEncoderError.vocabulary(error)
        }
        guard tokenizer.vocabulary.count <= config.transformer.vocabSize else {
            throw BertEncoderError.config(file: modelFolder.appendingPathComponent("config.json").path, key: "vocab_size",
                                          expected: "at least \(tokenizer.vocabulary.count) (the lines of vocab.txt)",
                                          found: "\(config.transformer.vocabSize)")
        }
        let weightsURL = modelFolder.appendingPathComponent("model.safetensors")
        let file: SafetensorsFile
        do {
            file = try SafetensorsFile(url: weightsURL)
            model = BertModel(config: config.transformer, weights: try BertWeights(file: file, config: config.transformer, precision: precision))
        } catch let error as ModelFileError {
            throw BertEncoderError.weights(error)
        }
        dimension = config.transformer.hiddenSize
        maxTokens = config.sentenceBert.maxSeqLength
        identity = modelFolder.standardizedFileURL.lastPathComponent + "/"
            + Self.fingerprint(weightsSize: file.fileSize, header: file.headerBytes, vocabulary: tokenizer.vocabulary.pieces)
            + precision.identitySuffix
    }

    /// Token ids with [CLS] and [SEP], cut to ``maxTokens``.
    public func tokenize(_ text: String) -> [Int32] {
        tokenizer.encode(text, maxLength: maxTokens)
    }

    /// The word-piece strings of ``tokenize(_:)`` (`[CLS]`, `hello`, `##s`, …, `[SEP]`).
    public func tokens(_ text: String) -> [String] {
        tokenizer.pieces(tokenize(text))
    }

    /// How many word pieces `text` makes, without [CLS]/[SEP] and without truncation.
    public func wordPieceCount(_ text: Substring) -> Int {
        tokenizer.pieceCount(text)
    }

    /// One L2-normalised ``dimension``-long vector per text, in order. Texts are tokenised,
    /// grouped by length into batches of at most ``batchTokenBudget`` tokens and encoded.
    public func embed(_ texts: [String]) throws -> [[Float]] {
        var sequences = [[Int32]](repeating: [], count: texts.count)
        sequences.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            parallelFor(texts.count, minimumPerThread: 8) { range in
                for i in range { base[i] = tokenize(texts[i]) }
            }
        }
        return try embed(tokenized: sequences)
    }

    /// Embeddings of already tokenised texts (each with [CLS]/[SEP]; cut to ``maxTokens`` ids).
    /// Throws ``BertEncoderError/tokenID(text:position:id:vocabularySize:)`` for an id outside
    /// the vocabulary.
    ///
    /// With several batches, each thread encodes whole batches on its own with OpenBLAS held to
    /// one thread: no synchronisation between layers, and sgemm still sees ~2000 rows at a time.
    /// A single batch (a query, a few chunks) is split inside each layer instead (the products by
    /// output rows, attention by (text, head), row-wise kernels; sgemm, where it runs, stays on
    /// one thread so that results do not depend on the thread count).
    public func embed(tokenized sequences: [[Int32]]) throws -> [[Float]] {
        let vocabularySize = config.transformer.vocabSize
        for (text, sequence) in sequences.enumerated() {
            if let position = sequence.firstIndex(where: { $0 < 0 || Int($0) >= vocabularySize }) {
                throw BertEncoderError.tokenID(text: text, position: position, id: sequence[position], vocabularySize: vocabularySize)
            }
        }
        var result = [[Float]](repeating: [], count: sequences.count)
        let planner = BatchPlanner(tokenBudget: batchTokenBudget, lanes: Threads.count)
        let batches = planner.plan(lengths: sequences.map { min($0.count, maxTokens) }).map { indices in
            (indices, TokenBatch(indices.map { Array(sequences[$0].prefix(maxTokens)) }))
        }
        let lanes = min(Threads.count, batches.count)
        result.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            func run(_ b: Int, parallel: Bool) {
                let (indices, batch) = batches[b]
                let vectors = Pooling.meanNormalized(model.encode(batch, parallel: parallel), batch)
                for (index, vector) in zip(indices, vectors) { base[index] = vector }
            }
            if lanes <= 1 {
                // OpenBLAS held to one thread here too: its multi-threaded sgemm rounds differently
                // with the thread count, and a query must embed to the same bits on 1 and 2 threads
                // (ask's output is byte-identical). Attention and the row-wise kernels still split.
                withSingleThreadedBLAS {
                    for b in batches.indices { run(b, parallel: true) }
                }
            } else {
                // The planner made batches of nearly equal size, a multiple of the lane count.
                withSingleThreadedBLAS {
                    parallelFor(lanes) { laneRange in
                        for lane in laneRange {
                            for b in Swift.stride(from: lane, to: batches.count, by: lanes) { run(b, parallel: false) }
                        }
                    }
                }
            }
        }
        return result
    }

    /// 12 hex digits of FNV-1a over the weights' size, the safetensors header and the vocabulary:
    /// cheap at start-up (about 250 KB hashed, not 90 MB), and it changes whenever the tensor
    /// layout, dtype or vocabulary does.
    static func fingerprint(weightsSize: Int, header: Data, vocabulary: [String]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        withUnsafeBytes(of: UInt64(weightsSize).littleEndian) { $0.forEach(mix) }
        header.forEach(mix)
        for piece in vocabulary { piece.utf8.forEach(mix); mix(0x0A) }
        return String(String(h, radix: 16).leftPadded(to: 16).prefix(12))
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
