import Foundation
import Testing
import LlamaDecoder
import TroveTestSupport

/// greedy.json (llama.cpp on SmolLM2-135M-Instruct.Q4_1.gguf): the prompts and the
/// `exact_dequant_f32` continuation of each (exactly dequantised weights, float32 everywhere).
struct GreedyFixture: Decodable {
    struct Continuation: Decodable {
        let generated_ids: [Int32]
        let stop_reason: String
        let stop_token_id: Int32?
        /// Log-probability of the chosen token at each position, including the stop token's.
        let chosen_logprob: [Double]
        let top1_minus_top2_logprob: [Double]
    }
    struct Prompt: Decodable, CustomTestStringConvertible {
        let name: String
        let prompt_ids: [Int32]
        let exact_dequant_f32: Continuation
        var testDescription: String { name }
    }
    let prompts: [Prompt]

    /// The fixture's prompts, or an empty list when it cannot be read (the load test fails then).
    static let cases: [Prompt] = (try? load().prompts) ?? []

    static func load() throws -> GreedyFixture {
        try JSONDecoder().decode(GreedyFixture.self, from: Fixtures.data("smollm2/greedy.json"))
    }
}

/// The real model, loaded once for the whole test target (tests run one at a time against it:
/// the model's scratch buffers serve one forward pass at a time).
enum SharedModel {
    static let lock = NSLock()
    static let loaded: Result<LlamaModel, Error> = Result {
        try Fixtures.required(Fixtures.decoderFile)
        return try LlamaModel(contentsOf: Fixtures.decoderFile)
    }

    /// Runs `body` with the model, holding the lock so concurrent tests do not share scratch buffers.
    static func with<R>(_ body: (LlamaModel) throws -> R) throws -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(loaded.get())
    }
}

/// log p(token) under `logits`, computed in float64.
func logProbability(_ logits: UnsafeMutableBufferPointer<Float>, of token: Int) -> Double {
    var maximum = -Double.infinity
    for v in logits { maximum = max(maximum, Double(v)) }
    var sum = 0.0
    for v in logits { sum += Foundation.exp(Double(v) - maximum) }
    return Double(logits[token]) - maximum - Foundation.log(sum)
}

/// Index of the largest logit (lowest index on ties).
func argmax(_ logits: UnsafeMutableBufferPointer<Float>) -> Int {
    var best = 0
    for i in 1 ..< logits.count where logits[i] > logits[best] { best = i }
    return best
}
