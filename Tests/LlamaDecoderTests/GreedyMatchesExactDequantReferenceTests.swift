import Foundation
import Testing
import LlamaDecoder
import TroveTestSupport

@Suite("Greedy decoding matches llama.cpp's exact-dequantisation float32 reference", .serialized)
struct GreedyMatchesExactDequantReferenceTests {
    @Test("the fixture and the model file are there")
    func fixtureLoads() throws {
        #expect(try GreedyFixture.load().prompts.count == 5)
        try SharedModel.with { model in #expect(model.config.layerCount == 30) }
    }

    /// Teacher-forced along the reference continuation (generated ids, then the stop token):
    /// at every position our argmax must be the reference token, unless the reference's own
    /// top1 − top2 margin is tiny (< 0.01 nats: a legitimate float32 flip, printed with its
    /// logits), after which only log-probabilities are compared. The chosen token's
    /// log-probability must agree within 1e-3.
    @Test("greedy tokens and log-probabilities per prompt", arguments: GreedyFixture.cases)
    func greedyMatches(_ prompt: GreedyFixture.Prompt) throws {
        let reference = prompt.exact_dequant_f32
        let sequence = reference.generated_ids + (reference.stop_token_id.map { [$0] } ?? [])
        #expect(reference.chosen_logprob.count == sequence.count)
        try SharedModel.with { model in
            let cache = model.makeCache(capacity: 512)
            var logits = try model.forward(tokens: prompt.prompt_ids, cache: cache)
            var maxDelta = 0.0
            var flippedAt: Int? = nil
            for (i, token) in sequence.enumerated() {
                let ours = argmax(logits)
                if ours != Int(token) && flippedAt == nil {
                    let margin = reference.top1_minus_top2_logprob[i]
                    print("[\(prompt.name)] position \(i): ours \(ours) (logit \(logits[ours]), logprob \(logProbability(logits, of: ours))) vs reference \(token) (logit \(logits[Int(token)]), logprob \(logProbability(logits, of: Int(token)))); reference margin \(margin)")
                    #expect(margin < 0.01, "token differs at position \(i) where the reference margin is \(margin)")
                    flippedAt = i
                }
                let delta = abs(logProbability(logits, of: Int(token)) - reference.chosen_logprob[i])
                maxDelta = max(maxDelta, delta)
                #expect(delta < 1e-3, "position \(i): |Δ logprob| = \(delta)")
                if i + 1 < sequence.count { logits = try model.forward(tokens: [token], cache: cache) }
            }
            print("[\(prompt.name)] \(sequence.count) positions, max |Δ logprob| = \(String(format: "%.2e", maxDelta))" + (flippedAt.map { ", flip at \($0)" } ?? ""))
        }
    }
}
