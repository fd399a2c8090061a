import Foundation
import LlamaDecoder
import ModelFiles
import Tokenizers

/// How to generate: sampling, length, stops. Defaults: greedy, 256 new tokens.
public struct GenerationOptions: Sendable {
    /// 0 means greedy.
    public var temperature: Float = 0
    public var topK: Int = 40
    public var topP: Float = 0.95
    public var minP: Float = 0.05
    /// 1 disables it.
    public var repetitionPenalty: Float = 1
    /// 0 disables it.
    public var noRepeatNgramSize: Int = 0
    public var seed: UInt64 = 0
    public var maxTokens: Int = 256
    /// Generation stops before any of these strings.
    public var stopStrings: [String] = []
    /// A system message (chat mode only).
    public var system: String?
    /// Give the prompt to the model as is, without the chat template.
    public var raw = false
    /// When set and cancelled, generation stops before the next token (stop reason `cancelled`).
    public var cancellation: CancellationFlag?

    public init() {}

    var sampling: SamplingParameters {
        if temperature <= 0 {
            var greedy = SamplingParameters.greedy
            greedy.repetitionPenalty = repetitionPenalty
            greedy.noRepeatNgramSize = noRepeatNgramSize
            return greedy
        }
        return SamplingParameters(temperature: temperature, topK: topK, topP: topP, minP: minP,
                                  repetitionPenalty: repetitionPenalty, noRepeatNgramSize: noRepeatNgramSize, seed: seed)
    }
}

/// Speeds of one generation; the `timings` object of the JSON outputs.
public struct Timings: Codable, Sendable, Equatable {
    public var promptTokens: Int
    public var generatedTokens: Int
    public var promptTokensPerSecond: Double
    public var generatedTokensPerSecond: Double
    public var timeToFirstToken: Double
    /// Seconds to load the model (0 when it was already loaded).
    public var loadSeconds: Double

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case generatedTokens = "generated_tokens"
        case promptTokensPerSecond = "prompt_tokens_per_second"
        case generatedTokensPerSecond = "generated_tokens_per_second"
        case timeToFirstToken = "time_to_first_token"
        case loadSeconds = "load_seconds"
    }

    init(_ timings: GenerationTimings, loadSeconds: Double) {
        promptTokens = timings.promptTokens
        generatedTokens = timings.generatedTokens
        promptTokensPerSecond = timings.promptTokensPerSecond
        generatedTokensPerSecond = timings.generatedTokensPerSecond
        timeToFirstToken = timings.timeToFirstToken
        self.loadSeconds = loadSeconds
    }
}

/// What `generate` produced; the JSON shape of `trove generate --json`.
public struct Generation: Codable, Sendable {
    public var promptIDs: [Int32]
    public var generatedIDs: [Int32]
    public var text: String
    /// `eos`, `stop_string`, `max_tokens`, `context_full` or `cancelled`.
    public var stopReason: String
    public var timings: Timings

    enum CodingKeys: String, CodingKey {
        case text, timings
        case promptIDs = "prompt_ids"
        case generatedIDs = "generated_ids"
        case stopReason = "stop_reason"
    }
}

extension TroveIndex {
    /// The decoder, loaded once from ``ModelLocation/decoderFile``.
    func decoder() throws -> LoadedDecoder {
        try lock.withLock {
            if let loadedDecoder { return loadedDecoder }
            let decoder = try during("loading the decoder from \(models.decoderFile.path)") {
                try LoadedDecoder(url: models.decoderFile, tokenizer: loadedDecoderTokenizer, cache: models.decoderCache)
            }
            loadedDecoder = decoder
            loadedDecoderTokenizer = nil
            return decoder
        }
    }

    /// The decoder's tokenizer: the loaded decoder's, else read once from the file's vocabulary
    /// (its tensors are neither checked nor read).
    func decoderTokenizer() throws -> any DecoderTokenizer {
        try lock.withLock {
            if let loadedDecoder { return loadedDecoder.tokenizer }
            if let loadedDecoderTokenizer { return loadedDecoderTokenizer }
            let tokenizer = try during("loading the decoder vocabulary from \(models.decoderFile.path)") {
                try loadDecoderTokenizer(GGUFFile(url: models.decoderFile))
            }
            loadedDecoderTokenizer = tokenizer
            return tokenizer
        }
    }

    /// The decoder's token ids for `text` (special tokens such as `<|im_start|>` parsed unless
    /// `parseSpecial` is false), with each token's text.
    /// Only the vocabulary is read (the decoder's if it is already loaded), so a vocabulary-only
    /// GGUF file (no tensors) is enough.
    public func tokenizeForDecoder(_ text: String, parseSpecial: Bool = true) throws -> (ids: [Int32], pieces: [String]) {
        let tokenizer = try decoderTokenizer()
        let ids = tokenizer.encode(text, parseSpecial: parseSpecial)
        return (ids, ids.map { String(decoding: tokenizer.piece($0), as: UTF8.self) })
    }

    /// Generates a continuation of `prompt` (through the chat template unless `options.raw`),
    /// calling `onText` with each piece of text as it is produced (whole UTF-8 characters).
    public func generate(_ prompt: String, options: GenerationOptions = GenerationOptions(),
                         onText: (String) -> Void = { _ in }) throws -> Generation {
        let decoder = try decoder()
        let ids: [Int32]
        if options.raw {
            ids = decoder.tokenizer.encode(prompt, parseSpecial: true, addSpecial: true)
        } else {
            var messages: [ChatMessage] = []
            if let system = options.system { messages.append(ChatMessage(.system, system)) }
            messages.append(ChatMessage(.user, prompt))
            ids = try decoder.requireTemplate().encode(messages, with: decoder.tokenizer)
        }
        return try generate(ids: ids, decoder: decoder, options: options, onText: onText)
    }

    /// Generates from prompt token ids; shared by `generate` and `ask`.
    func generate(ids: [Int32], decoder: LoadedDecoder, options: GenerationOptions,
                  onText: (String) -> Void) throws -> Generation {
        let tokenizer = decoder.tokenizer
        let generator = try during("starting generation") {
            try Generator(model: decoder.model, prompt: ids, parameters: options.sampling, maxTokens: options.maxTokens,
                          endOfGenerationTokens: decoder.endOfGeneration, stopStrings: options.stopStrings,
                          detokenize: { tokenizer.decode($0) })
        }
        var streamer = TextStreamer(tokenizer: tokenizer)
        var cancelled = false
        for token in generator {
            onText(streamer.append(token))
            if options.cancellation?.isCancelled == true {
                cancelled = true
                break
            }
        }
        onText(streamer.finish())
        return Generation(promptIDs: ids, generatedIDs: generator.tokens, text: tokenizer.decode(generator.tokens),
                          stopReason: cancelled ? "cancelled" : Self.name(of: generator.stopReason),
                          timings: Timings(generator.timings, loadSeconds: decoder.loadSeconds))
    }

    static func name(of reason: StopReason?) -> String {
        switch reason {
        case .endOfGeneration: return "eos"
        case .stopString: return "stop_string"
        case .maxTokens: return "max_tokens"
        case .contextFull: return "context_full"
        case nil: return "unknown"
        }
    }
}
