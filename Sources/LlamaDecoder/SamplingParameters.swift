/// How the next token is chosen from the logits. Defaults follow llama.cpp's (temperature 0.8,
/// top-k 40, top-p 0.95, min-p 0.05, no repetition penalty); ``greedy`` always takes the argmax.
///
/// ```swift
/// var p = SamplingParameters()        // llama.cpp's defaults
/// p.temperature = 0.3; p.seed = 7     // a reproducible, cooler run
/// ```
public struct SamplingParameters: Sendable, Equatable {
    /// Divides the logits before sampling; 0 (or less) means greedy: the argmax, lowest id on ties.
    public var temperature: Float
    /// Keeps only the k most likely tokens; 0 keeps all.
    public var topK: Int
    /// Keeps the smallest set of most likely tokens whose probability reaches p; 1 keeps all.
    public var topP: Float
    /// Drops tokens whose probability is below minP × the top token's; 0 keeps all.
    public var minP: Float
    /// CTRL-style penalty on tokens seen in the last ``repetitionWindow`` tokens (prompt included):
    /// a positive logit is divided by it, a negative one multiplied. 1 disables it.
    public var repetitionPenalty: Float
    /// How many recent tokens the repetition penalty looks at.
    public var repetitionWindow: Int
    /// Forbids any token that would repeat an n-gram of this size already in the context
    /// (Hugging Face's `no_repeat_ngram_size`); 0 disables it.
    public var noRepeatNgramSize: Int
    /// Seeds the random generator: the same seed, prompt and parameters give the same tokens.
    public var seed: UInt64

    /// Parameters given field by field; every default is llama.cpp's.
    public init(temperature: Float = 0.8, topK: Int = 40, topP: Float = 0.95, minP: Float = 0.05,
                repetitionPenalty: Float = 1, repetitionWindow: Int = 64, noRepeatNgramSize: Int = 0, seed: UInt64 = 0) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.repetitionWindow = repetitionWindow
        self.noRepeatNgramSize = noRepeatNgramSize
        self.seed = seed
    }

    /// Always the most likely token (after any penalties), no randomness.
    public static let greedy = SamplingParameters(temperature: 0, topK: 1, topP: 1, minP: 0)
}
