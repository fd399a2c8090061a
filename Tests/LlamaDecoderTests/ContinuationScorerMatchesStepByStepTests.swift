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

    @Test("scores equal a fresh step-by-step computation, prefixes shared or not, run as one tree",
          arguments: [KVCachePrecision.f32, .f16])
    func matchesStepByStep(cache precision: KVCachePrecision) throws {
        // Some share a prefix ([7042] and [7042, 30]), some nothing; ids from the greedy fixture.
        let continuations: [[Int32]] = [[7042], [7042, 30], [504, 3575], [4649, 314], [314]]
        let ends: Set<Int32> = [2, 30]
        try SharedModel.with { model in
            model.cachePrecision = precision
            defer { model.cachePrecision = .f32 }
            let prompt = try prompt()
            let scored = try ContinuationScorer.logLikelihoods(model: model, prompt: prompt, continuations: continuations,
                                                               ends: ends, keep: continuations.count)
            for (i, continuation) in continuations.enumerated() {
                let expected = try Self.stepByStep(model, prompt: prompt, continuation, ends: ends)
                // The tree's batched products sum in another order than the decode step's matvecs
                // (differences of ~1e-5; ~5e-4 once a key that differs in its last bit is rounded to
                // a half); a wrong mask or position moves a score by far more.
                let tolerance = precision == .f32 ? 1e-4 : 2e-3
                #expect(abs(scored.scores[i] - expected) < tolerance, "continuation \(continuation)")
            }
            // Reused prefixes: [7042] and [7042, 30] share their first token in the tree.
            #expect(scored.steps < continuations.map(\.count).reduce(0, +))
        }
    }

    @Test("a tree pass gives each token the logits of its own branch and leaves the cache as it was")
    func treeLogitsAreEachBranchs() throws {
        // Two branches after the prompt: [504, 3575] and [4649, 314, 30]; 314 must not see 504.
        let tokens: [Int32] = [504, 4649, 3575, 314, 30], parents: [Int?] = [nil, nil, 0, 1, 3]
        let branches: [[Int32]] = [[504], [4649], [504, 3575], [4649, 314], [4649, 314, 30]]
        try SharedModel.with { model in
            let prompt = try prompt()
            let cache = model.makeCache(capacity: prompt.count + tokens.count)
            _ = try model.forward(tokens: prompt, cache: cache)
            let logits = try model.forward(tree: tokens, parents: parents, cache: cache)
            #expect(cache.count == prompt.count)
            let vocab = model.config.vocabularySize
            for (i, branch) in branches.enumerated() {
                let fresh = model.makeCache(capacity: prompt.count + branch.count)
                _ = try model.forward(tokens: prompt, cache: fresh)
                var expected: [Float] = []
                for token in branch { expected = Array(try model.forward(tokens: [token], cache: fresh)) }
                let row = logits[i * vocab ..< (i + 1) * vocab]
                let worst = zip(row, expected).map { abs($0 - $1) }.max() ?? .infinity
                #expect(worst < 1e-3, "token \(i) of the tree (branch \(branch)): max |Δlogit| \(worst)")
            }
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
