import Foundation

/// How likely the model finds each of several continuations of one prompt: the prompt is run once,
/// then each continuation from the same cached prefix (the KV cache is cut back after each).
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
    /// The score of each continuation (see the type), in the order given; also the prefill time.
    public static func logLikelihoods(model: LlamaModel, prompt: [Int32], continuations: [[Int32]],
                                      ends: Set<Int32>, keep: Int = 8,
                                      lengthPenalty: Double = 0) throws -> (scores: [Double], prefillSeconds: Double, steps: Int) {
        let longest = continuations.map(\.count).max() ?? 0
        let cache = model.makeCache(capacity: prompt.count + longest + 1)
        let started = Date()
        let first = logSoftmax(try model.forward(tokens: prompt, cache: cache))
        let prefillSeconds = Date().timeIntervalSince(started)
        // Only the `keep` continuations whose first token is likeliest are scored in full: the
        // first token alone already separates most candidates, and each full score costs steps.
        let kept = Set(continuations.indices.filter { !continuations[$0].isEmpty }
            .sorted { first[Int(continuations[$0][0])] > first[Int(continuations[$1][0])] }.prefix(keep))
        // Continuations are run in lexicographic order, so one that shares a prefix with the one
        // before ("Josiah" then "Josiah Merrow") resumes from the cache cut back to that prefix:
        // `path` is what the cache holds after the prompt, `distributions[j]` the log-probabilities
        // after `path[..<j]`.
        var path: [Int32] = []
        var distributions = [first]
        var scores = [Double](repeating: -.infinity, count: continuations.count)
        var steps = 0
        for c in kept.sorted(by: { continuations[$0].lexicographicallyPrecedes(continuations[$1]) }) {
            let continuation = continuations[c]
            var common = 0
            while common < min(path.count, continuation.count), path[common] == continuation[common] { common += 1 }
            path.removeLast(path.count - common)
            distributions.removeLast(distributions.count - common - 1)
            cache.truncate(to: prompt.count + common)
            for token in continuation[common...] {
                distributions.append(logSoftmax(try model.forward(tokens: [token], cache: cache)))
                path.append(token)
                steps += 1
            }
            var total = 0.0
            for (i, token) in continuation.enumerated() { total += distributions[i][Int(token)] }
            total += logSumExp(ends.map { distributions[continuation.count][Int($0)] })
            // Divided by (length + 1)^α: with α = 0 a short span ("1" of "1 October 1794") wins for
            // having fewer tokens to pay for; α = 1 is the mean log-likelihood per token.
            scores[c] = total / pow(Double(continuation.count + 1), lengthPenalty)
        }
        return (scores, prefillSeconds, steps)
    }

    /// log softmax of `logits`, in double precision.
    static func logSoftmax(_ logits: UnsafeMutableBufferPointer<Float>) -> [Double] {
        let values = logits.map(Double.init)
        let norm = logSumExp(values)
        return values.map { $0 - norm }
    }

    static func logSumExp(_ values: [Double]) -> Double {
        guard let top = values.max(), top > -.infinity else { return -.infinity }
        return top + log(values.reduce(0) { $0 + exp($1 - top) })
    }
}
