import Foundation

/// How likely the model finds each of several continuations of one prompt: the prompt is run once,
/// then all the continuations together from the same cached prefix, as one tree of tokens
/// (``LlamaModel/forward(tree:parents:cache:)``).
///
/// `score = (Σᵢ log p(cᵢ | prompt, c<ᵢ) + log Σ_{e ∈ ends} p(e | prompt, c)) / (|c| + 1)^α`: the
/// continuation's log-likelihood, then the chance that the model stops right after it (a span
/// that stops mid-phrase is unlikely to be followed by a full stop or the end of the turn), with
/// a length penalty α as in beam search (Wu et al. 2016). This ranks candidate answers by the
/// decoder's own judgement without letting it write anything.
///
/// ```swift
/// let scores = try ContinuationScorer.logLikelihoods(model: model, prompt: ids,
///                                                     continuations: candidates, ends: [dot, newline, eos])
/// ```
public enum ContinuationScorer {
    /// The score of each continuation (see the type), in the order given; also the prefill time
    /// and `steps`, the tokens run after the prompt.
    public static func logLikelihoods(model: LlamaModel, prompt: [Int32], continuations: [[Int32]],
                                      ends: Set<Int32>, keep: Int = 8,
                                      lengthPenalty: Double = 0) throws -> (scores: [Double], prefillSeconds: Double, steps: Int) {
        let cache = model.makeCache(capacity: prompt.count + continuations.map(\.count).reduce(0, +) + 1)
        let started = Date()
        let first = logSoftmax(try model.forward(tokens: prompt, cache: cache))
        let prefillSeconds = Date().timeIntervalSince(started)
        // Only the `keep` continuations whose first token is likeliest are scored in full: the
        // first token alone already separates most candidates, and each adds tokens to the pass.
        let kept = continuations.indices.filter { !continuations[$0].isEmpty }
            .sorted { first[Int(continuations[$0][0])] > first[Int(continuations[$1][0])] }.prefix(keep).sorted()
        // The kept continuations as one tree of their distinct prefixes ("Josiah" and "Josiah
        // Merrow" share a node), run after the prompt in a single batched pass: node n's logits
        // give the log-probabilities after the prefix that ends at n.
        var tokens: [Int32] = [], parents: [Int?] = [], node: [[Int32]: Int] = [:]
        for c in kept {
            var parent: Int?
            for j in continuations[c].indices {
                let prefix = Array(continuations[c][...j])
                if let existing = node[prefix] { parent = existing; continue }
                tokens.append(prefix[j])
                parents.append(parent)
                parent = tokens.count - 1
                node[prefix] = parent
            }
        }
        let logits = try model.forward(tree: tokens, parents: parents, cache: cache)
        let vocab = model.config.vocabularySize
        let distributions = tokens.indices.map { logSoftmax(logits[$0 * vocab ..< ($0 + 1) * vocab]) }
        var scores = [Double](repeating: -.infinity, count: continuations.count)
        for c in kept {
            let continuation = continuations[c]
            var total = first[Int(continuation[0])]
            for j in continuation.indices.dropFirst() {
                total += distributions[node[Array(continuation[..<j])]!][Int(continuation[j])]
            }
            let last = distributions[node[continuation]!]
            total += logSumExp(ends.map { last[Int($0)] })
            // Divided by (length + 1)^α: with α = 0 a short span ("1" of "1 October 1794") wins for
            // having fewer tokens to pay for; α = 1 is the mean log-likelihood per token.
            scores[c] = total / pow(Double(continuation.count + 1), lengthPenalty)
        }
        return (scores, prefillSeconds, tokens.count)
    }

    /// log softmax of `logits`, in double precision.
    static func logSoftmax(_ logits: some Collection<Float>) -> [Double] {
        let values = logits.map(Double.init)
        let norm = logSumExp(values)
        return values.map { $0 - norm }
    }

    static func logSumExp(_ values: [Double]) -> Double {
        guard let top = values.max(), top > -.infinity else { return -.infinity }
        return top + log(values.reduce(0) { $0 + exp($1 - top) })
    }
}
