import ArgumentParser
import Trove

/// Sampling flags of `generate`. The defaults are llama.cpp's classic ones, repetition penalty
/// included (a small model left greedy and unpenalised repeats itself until the token limit);
/// `--temperature 0 --repetition-penalty 1` is plain greedy decoding.
struct SamplingOptions: ParsableArguments {
    @Option(name: .long, help: "Maximum new tokens.")
    var maxTokens: Int?

    @Option(name: .long, help: "Sampling temperature; 0 is greedy.")
    var temperature: Float = 0.8

    @Option(name: .long, help: "Keep only the k most likely tokens (with --temperature > 0).")
    var topK: Int = 40

    @Option(name: .long, help: "Nucleus sampling: keep the most likely tokens up to this probability mass.")
    var topP: Float = 0.95

    @Option(name: .long, help: "Drop tokens less likely than this share of the top token's probability.")
    var minP: Float = 0.05

    @Option(name: .long, help: "Penalty for tokens among the last 64 of the context (1 disables it).")
    var repetitionPenalty: Float = 1.1

    @Option(name: .long, help: "Forbid repeating any n-gram of this size (0 disables it).")
    var noRepeatNgram: Int?

    @Option(name: .long, help: "Random seed: the same seed, prompt and flags give the same output.")
    var seed: UInt64 = 0

    func validate() throws {
        if let maxTokens, !(1...8192).contains(maxTokens) { throw ValidationError("--max-tokens must be between 1 and 8192, got \(maxTokens)") }
        if temperature < 0 || temperature > 10 { throw ValidationError("--temperature must be between 0 and 10, got \(temperature)") }
        if topK < 0 { throw ValidationError("--top-k must be 0 or more, got \(topK)") }
        if !(0...1).contains(topP) { throw ValidationError("--top-p must be between 0 and 1, got \(topP)") }
        if !(0...1).contains(minP) { throw ValidationError("--min-p must be between 0 and 1, got \(minP)") }
        if !(0.1...10).contains(repetitionPenalty) { throw ValidationError("--repetition-penalty must be between 0.1 and 10") }
        if let noRepeatNgram, noRepeatNgram < 0 { throw ValidationError("--no-repeat-ngram must be 0 or more") }
    }

    /// These flags applied over `base`.
    func apply(to base: GenerationOptions) -> GenerationOptions {
        var options = base
        if let maxTokens { options.maxTokens = maxTokens }
        options.temperature = temperature
        options.topK = topK
        options.topP = topP
        options.minP = minP
        options.repetitionPenalty = repetitionPenalty
        if let noRepeatNgram { options.noRepeatNgramSize = noRepeatNgram }
        options.seed = seed
        return options
    }
}
