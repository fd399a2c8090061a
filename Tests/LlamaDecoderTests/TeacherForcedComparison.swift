import Foundation
import Testing
import LlamaDecoder

/// Teacher-forced along the reference continuation (generated ids, then the stop token): at every
/// position our argmax must be the reference token, unless the reference's own top1 − top2 margin
/// is tiny (< `nearTie`, 0.01 nats by default: a legitimate float32 flip, printed with its logits), after which only
/// log-probabilities are compared. The chosen token's log-probability must agree within `tolerance`.
/// The KV cache holds `capacity` positions (the reference's context size); `tolerance` bounds |Δ logprob|.
/// Returns the largest |Δ logprob| and the position of the first flip, if any.
@discardableResult
func expectGreedyMatches(_ model: LlamaModel, _ prompt: GreedyFixture.Prompt, label: String, capacity: Int = 512,
                         tolerance: Double = 1e-3, nearTie: Double = 0.01) throws -> (maxDelta: Double, flippedAt: Int?) {
    let reference = prompt.exact_dequant_f32
    let sequence = reference.generated_ids + (reference.stop_token_id.map { [$0] } ?? [])
    #expect(reference.chosen_logprob.count == sequence.count)
    let cache = model.makeCache(capacity: capacity)
    var logits = try model.forward(tokens: prompt.prompt_ids, cache: cache)
    var maxDelta = 0.0
    var flippedAt: Int? = nil
    for (i, token) in sequence.enumerated() {
        let ours = argmax(logits)
        if ours != Int(token) && flippedAt == nil {
            let margin = reference.top1_minus_top2_logprob[i]
            print("[\(label)] position \(i): ours \(ours) (logit \(logits[ours]), logprob \(logProbability(logits, of: ours))) vs reference \(token) (logit \(logits[Int(token)]), logprob \(logProbability(logits, of: Int(token)))); reference margin \(margin)")
            #expect(margin < nearTie, "[\(label)] token differs at position \(i) where the reference margin is \(margin)")
            flippedAt = i
        }
        let delta = abs(logProbability(logits, of: Int(token)) - reference.chosen_logprob[i])
        maxDelta = max(maxDelta, delta)
        #expect(delta < tolerance, "[\(label)] position \(i): |Δ logprob| = \(delta)")
        if i + 1 < sequence.count { logits = try model.forward(tokens: [token], cache: cache) }
    }
    print("[\(label)] \(sequence.count) positions, max |Δ logprob| = \(String(format: "%.2e", maxDelta))" + (flippedAt.map { ", flip at \($0)" } ?? ""))
    return (maxDelta, flippedAt)
}
