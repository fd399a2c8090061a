import Foundation

/// Why generation ended.
public enum StopReason: Sendable, Equatable {
    /// The model produced an end-of-generation token (not included in the output).
    case endOfGeneration(token: Int32)
    /// The text produced a stop string (the string and what follows it are not in the output).
    case stopString(String)
    /// The maximum number of new tokens was reached.
    case maxTokens
    /// The KV cache is full.
    case contextFull
}

/// How long prompt processing and generation took.
public struct GenerationTimings: Sendable, Equatable {
    /// Tokens of the prompt processed.
    public var promptTokens = 0
    /// Seconds spent processing the prompt (prefill).
    public var promptSeconds = 0.0
    /// Tokens sampled (including any withheld because they began a stop string).
    public var generatedTokens = 0
    /// Seconds from the end of the prefill to the last token.
    public var generationSeconds = 0.0
    /// Seconds from the first `next()` to the first sampled token (prefill + one sample).
    public var timeToFirstToken = 0.0

    /// Prompt tokens per second.
    public var promptTokensPerSecond: Double { promptSeconds > 0 ? Double(promptTokens) / promptSeconds : 0 }
    /// Generated tokens per second, counted after the first (each of those costs one decode step).
    public var generatedTokensPerSecond: Double {
        generationSeconds > 0 ? Double(max(0, generatedTokens - 1)) / generationSeconds : 0
    }
}

/// Generation as a sequence of tokens: the prompt is processed (batched) on the first `next()`,
/// then each `next()` decodes one step and samples one token, until an end-of-generation token,
/// a stop string, `maxTokens` or a full context. ``stopReason`` and ``timings`` report how it ended.
///
/// Stop strings need the text: `detokenize` turns token ids into text (the tokenizer's decode).
/// Tokens that might begin a stop string are held back until it is clear they do not, so no
/// part of a stop string is ever yielded.
///
/// ```swift
/// let generator = try Generator(model: model, prompt: ids, parameters: .greedy, maxTokens: 128,
///                               endOfGenerationTokens: [0, 2], stopStrings: ["\n\n"],
///                               detokenize: { tokenizer.decode($0) })
/// for token in generator { print(tokenizer.decode([token]), terminator: "") }
/// print(generator.stopReason!, generator.timings.generatedTokensPerSecond)
/// ```
public final class Generator: Sequence, IteratorProtocol {
    /// Why generation ended; nil while it runs.
    public private(set) var stopReason: StopReason?
    /// Prompt and generation timings so far.
    public private(set) var timings = GenerationTimings()
    /// The tokens yielded so far.
    public private(set) var tokens: [Int32] = []

    private let model: LlamaModel
    private let cache: KVCache
    private let prompt: [Int32]
    private var sampler: Sampler
    private let maxTokens: Int
    private let endOfGeneration: Set<Int32>
    private let stopStrings: [String]
    private let detokenize: (([Int32]) -> String)?
    private var context: [Int32]
    private var pending: [Int32] = []      // sampled, withheld (may begin a stop string)
    private var outbox: [Int32] = []       // cleared to yield, in order
    private var lastSampled: Int32?        // the newest sampled token, not yet run through the model
    private var started = false
    private var generationStart = 0.0

    /// A generator over `prompt` (token ids, already templated). `cache` defaults to a fresh one
    /// sized for the prompt plus `maxTokens`. Throws if a prompt id is outside the vocabulary or
    /// the prompt does not fit the cache.
    public init(model: LlamaModel, prompt: [Int32], parameters: SamplingParameters = SamplingParameters(),
                maxTokens: Int, endOfGenerationTokens: Set<Int32>, stopStrings: [String] = [],
                detokenize: (([Int32]) -> String)? = nil, cache: KVCache? = nil) throws {
        for t in prompt where t < 0 || Int(t) >= model.config.vocabularySize {
            throw LlamaDecoderError.tokenOutOfRange(token: t, vocabularySize: model.config.vocabularySize)
        }
        let cache = cache ?? model.makeCache(capacity: Swift.min(model.config.contextLength, prompt.count + maxTokens + 1))
        guard cache.count + prompt.count <= cache.capacity, !prompt.isEmpty || cache.count > 0 else {
            throw LlamaDecoderError.contextFull(needed: cache.count + Swift.max(prompt.count, 1), capacity: cache.capacity)
        }
        self.model = model
        self.cache = cache
        self.prompt = prompt
        self.sampler = Sampler(parameters: parameters)
        self.maxTokens = maxTokens
        self.endOfGeneration = endOfGenerationTokens
        self.stopStrings = stopStrings.filter { !$0.isEmpty }
        self.detokenize = detokenize
        self.context = prompt
    }

    /// The next token, or nil when generation has ended (see ``stopReason``).
    public func next() -> Int32? {
        while outbox.isEmpty {
            guard stopReason == nil else { return nil }
            step()
        }
        let token = outbox.removeFirst()
        tokens.append(token)
        return token
    }

    /// The yielded tokens as text (needs `detokenize`).
    public var text: String { detokenize?(tokens) ?? "" }

    /// Samples one token and decides whether to yield, withhold or stop.
    private func step() {
        guard let token = sampleNext() else { return }
        timings.generatedTokens += 1
        timings.generationSeconds = now() - generationStart
        if endOfGeneration.contains(token) {
            finish(.endOfGeneration(token: token), flushing: true)
            return
        }
        context.append(token)
        pending.append(token)
        lastSampled = token
        if let detokenize, !stopStrings.isEmpty {
            let text = detokenize(Array(context[prompt.count...]))
            if let hit = stopStrings.first(where: { text.contains($0) }) {
                finish(.stopString(hit), flushing: false)
                return
            }
            if !stopStrings.contains(where: { endsWithPrefix(text, of: $0) }) { flushPending() }
        } else {
            flushPending()
        }
        if timings.generatedTokens >= maxTokens { finish(.maxTokens, flushing: true) }
    }

    /// Runs the prompt (first call) or the last sampled token through the model and samples.
    private func sampleNext() -> Int32? {
        let logits: UnsafeMutableBufferPointer<Float>
        do {
            if !started {
                started = true
                if maxTokens <= 0 { finish(.maxTokens, flushing: false); return nil }
                let start = now()
                logits = try model.forward(tokens: prompt, cache: cache)
                timings.promptTokens = prompt.count
                timings.promptSeconds = now() - start
                generationStart = now()
                let token = sampler.sample(logits, context: context)
                timings.timeToFirstToken = now() - start
                return token
            }
            guard let last = lastSampled else { return nil }
            guard cache.count < cache.capacity else { finish(.contextFull, flushing: true); return nil }
            logits = try model.forward(tokens: [last], cache: cache)
        } catch {
            // Prompt ids were checked in init and sampled ids are in range: only a full cache remains.
            finish(.contextFull, flushing: true)
            return nil
        }
        return sampler.sample(logits, context: context)
    }

    private func flushPending() {
        outbox.append(contentsOf: pending)
        pending.removeAll()
    }

    private func finish(_ reason: StopReason, flushing: Bool) {
        if flushing { outbox.append(contentsOf: pending) }
        pending.removeAll()
        stopReason = reason
    }

    private func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}

/// Whether some non-empty proper prefix of `stop` is a suffix of `text` (a stop string may be starting).
private func endsWithPrefix(_ text: String, of stop: String) -> Bool {
    let stopChars = Array(stop)
    for length in stride(from: min(stopChars.count - 1, text.count), through: 1, by: -1)
    where text.hasSuffix(String(stopChars[0 ..< length])) {
        return true
    }
    return false
}
