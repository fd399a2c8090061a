import Foundation
import Testing
@testable import LlamaDecoder

@Suite("ContinuationScorer", .serialized)
struct ContinuationScorerMatchesStepByStepTests {
    func prompt() throws -> [Int32] { try #require(GreedyFixture.cases.first { $0.name == "capital_france" }).prompt_ids }

    /// The score of `continuation` computed the plain way: a fresh cache, the prompt, then one
    /// token at a time, adding log-softmax of each next token and log Σ p(end) at the end.
    static func stepByStep(_ model: LlamaModel, prompt: [Int32], _ continuation: [Int32], ends: Set<Int32>) throws -> Double {
        let cache = model.makeCache(capacity: prompt.count + continuation.count + 1)
        var distribution = ContinuationScorer.logSoftmax(try model.forward(tokens: prompt, cache: cache))
        var total = 0.0
        for token in continuation {
            total += distribution[Int(token)]
            distribution = ContinuationScorer.logSoftmax(try model.forward(tokens: [token], cache: cache))
        }
        return total + ContinuationScorer.logSumExp(ends.map { distribution[Int($0)] })
    }

    @Test("scores equal a fresh step-by-step computation, prefixes shared or not")
    func matchesStepByStep() throws {
        // Some share a prefix ([7042] and [7042, 30]), some nothing; ids from the greedy fixture.
        let continuations: [[Int32]] = [[7042], [7042, 30], [504, 3575], [4649, 314], [314]]
        let ends: Set<Int32> = [2, 30]
        try SharedModel.with { model in
            let prompt = try prompt()
            let scored = try ContinuationScorer.logLikelihoods(model: model, prompt: prompt, continuations: continuations,
                                                               ends: ends, keep: continuations.count)
            for (i, continuation) in continuations.enumerated() {
                let expected = try Self.stepByStep(model, prompt: prompt, continuation, ends: ends)
                #expect(abs(scored.scores[i] - expected) < 1e-6, "continuation \(continuation)")
            }
            // Reused prefixes: [7042] and [7042, 30] share their first step.
            #expect(scored.steps < continuations.map(\.count).reduce(0, +))
        }
    }

    @Test("only the `keep` likeliest first tokens are scored; the others get −∞")
    func keepsTheLikeliest() throws {
        try SharedModel.with { model in
            let scored = try ContinuationScorer.logLikelihoods(model: model, prompt: try prompt(),
                                                               continuations: [[7042], [314], [504]], ends: [2], keep: 1)
            #expect(scored.scores.filter { $0 > -.infinity }.count == 1)
        }
    }
}
