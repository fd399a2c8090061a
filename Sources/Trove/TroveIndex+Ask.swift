import Foundation
import LlamaDecoder

/// How `ask` retrieves and answers.
public struct AskOptions: Sendable {
    /// Passages retrieved; the evidence is chosen among them.
    public var k = 5
    /// The retriever (hybrid unless told otherwise).
    public var mode: SearchMode = .default
    /// Passages the model reads: those holding the sentences that best match the question.
    public var contextPassages = 2
    /// Below this cosine between the question and its closest passage, the documents are taken
    /// not to cover the question and the model is not run. (Coverage is decided by retrieval and
    /// evidence scores, not by the model: a 135M model refuses and complies about at random.)
    public var minimumCosine: Float = 0.3
    /// Below this score of the best sentence (``EvidenceSelection``), likewise. Both thresholds
    /// were set on Corpora/QUESTIONS.md and off-topic questions written for it (covered: best
    /// sentence ≥ 0.59, passage ≥ 0.36; off-topic: ≤ 0.39 and ≤ 0.26), not on the benchmark sets.
    public var minimumEvidence: Float = 0.45
    /// Tokens the prompt may use at most (the model's context window caps it too).
    public var promptBudget = 1536
    /// Evidence sentences the answer may be copied from.
    public var candidateSentences = 3
    /// When set and cancelled, the decoder is not run (a server's client went away).
    public var cancellation: CancellationFlag?

    public init() {}
}

/// The answer to a question, with where it comes from; the JSON shape of `trove ask --json`.
///
/// `cited_answer` is what is shown: the sentence(s) of a passage that hold the answer, quoted
/// verbatim, with `[n]`. `answer` is the short answer inside it (a name, number, function, …),
/// or null when there is none. When the documents do not cover the question both are null and
/// `not_covered` is true; the model's own words are only ever in `raw_answer`.
public struct Answer: Codable, Sendable {
    public var question: String
    /// The short answer, verbatim from a cited passage; nil when none was found.
    public var answer: String?
    /// The quoted sentence(s) with their `[n]` marker; nil when not covered.
    public var citedAnswer: String?
    /// What the model wrote (for debugging; never shown as the answer).
    public var rawAnswer: String
    public var citations: [Citation]
    /// The sentences the answer could be copied from, best first, with their scores.
    public var evidence: [Evidence] = []
    /// The passages the model was given, numbered as cited.
    public var passages: [Passage]
    /// True when an answer is shown: every word of it is quoted from the passage it cites.
    public var grounded: Bool
    /// True when no passage was close enough or the model said the documents do not cover it.
    public var notCovered: Bool
    public var timings: AskTimings

    /// `ask` exits with its own code unless the answer is covered and shown.
    public var isSupported: Bool { !notCovered && citedAnswer != nil }

    enum CodingKeys: String, CodingKey {
        case question, answer, citations, evidence, passages, grounded, timings
        case rawAnswer = "raw_answer"
        case citedAnswer = "cited_answer"
        case notCovered = "not_covered"
    }

    /// Written by hand so that `answer` and `cited_answer` are `null` when absent, not left out.
    public func encode(to encoder: Swift.Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(question, forKey: .question)
        try container.encode(answer, forKey: .answer)
        try container.encode(citedAnswer, forKey: .citedAnswer)
        try container.encode(rawAnswer, forKey: .rawAnswer)
        try container.encode(grounded, forKey: .grounded)
        try container.encode(notCovered, forKey: .notCovered)
        try container.encode(citations, forKey: .citations)
        try container.encode(evidence, forKey: .evidence)
        try container.encode(passages, forKey: .passages)
        try container.encode(timings, forKey: .timings)
    }

    /// The sentence shown when the documents do not hold the answer.
    public static let notCoveredText = "The documents do not cover this."
}

/// A sentence chosen as evidence (``EvidenceSelection``): passage `n`, the sentence, its score.
public struct Evidence: Codable, Sendable, Equatable {
    public var n: Int
    public var sentence: String
    public var score: Float
}

/// Where the seconds of one `ask` went.
public struct AskTimings: Codable, Sendable, Equatable {
    /// Loading models and the index (0 when already loaded).
    public var loadSeconds = 0.0
    /// Search (embedding the question, exact scan, BM25, fusion).
    public var retrievalSeconds = 0.0
    /// Scoring the passages' sentences with the encoder.
    public var evidenceSeconds = 0.0
    public var promptTokens = 0
    public var prefillSeconds = 0.0
    /// One-token steps spent scoring the candidate answers, and their seconds.
    public var generatedTokens = 0
    public var decodeSeconds = 0.0
    public var totalSeconds = 0.0

    enum CodingKeys: String, CodingKey {
        case loadSeconds = "load_seconds"
        case retrievalSeconds = "retrieval_seconds"
        case evidenceSeconds = "evidence_seconds"
        case promptTokens = "prompt_tokens"
        case prefillSeconds = "prefill_seconds"
        case generatedTokens = "generated_tokens"
        case decodeSeconds = "decode_seconds"
        case totalSeconds = "total_seconds"
    }
}

extension TroveIndex {
    /// Answers `question` from the index, as the README's "How `ask` answers" says: retrieve,
    /// choose the evidence sentences with the encoder, let the decoder rank the candidate spans
    /// of those sentences (``ContinuationScorer``) with the two best passages as context, then
    /// quote the sentence that holds the winner. The decoder never writes: what is shown is
    /// always verbatim from a passage. `onText` receives the shown answer (`cited_answer`) once
    /// it is known; nothing else.
    public func ask(_ question: String, options: AskOptions = AskOptions(),
                    onText: (String) -> Void = { _ in }) throws -> Answer {
        let started = Date()
        var timings = AskTimings()
        var answer = Answer(question: question, answer: nil, citedAnswer: nil, rawAnswer: "", citations: [],
                            passages: [], grounded: false, notCovered: true, timings: timings)
        func finish() -> Answer {
            timings.totalSeconds = Date().timeIntervalSince(started)
            answer.timings = timings
            if let shown = answer.citedAnswer { onText(shown) }
            return answer
        }
        var mark = Date()
        let encoder = try encoder()
        _ = try database()
        timings.loadSeconds += Date().timeIntervalSince(mark)

        mark = Date()
        let results = try search(question, k: options.k, mode: options.mode)
        timings.retrievalSeconds = Date().timeIntervalSince(mark)
        guard let closest = results.map(\.cosine).max(), closest >= options.minimumCosine else { return finish() }

        mark = Date()
        let evidence = try during("scoring the passages' sentences") {
            try EvidenceSelection(question: question, passages: results.map { ($0.text, $0.cosine) }, embed: { try encoder.embed($0) })
        }
        timings.evidenceSeconds = Date().timeIntervalSince(mark)
        guard let best = evidence.sentences.first, best.score >= options.minimumEvidence else { return finish() }

        mark = Date()
        let decoder = try decoder()
        timings.loadSeconds += Date().timeIntervalSince(mark)
        let template = try decoder.requireTemplate()
        let order = evidence.passageOrder(count: options.contextPassages)
        // Room after the prompt for the lead and the longest candidate.
        let reserve = 64
        let window = min(decoder.model.config.contextLength, options.promptBudget + reserve)
        let prompt = PromptBuilder(tokenizer: decoder.tokenizer, template: template, budget: window - reserve)
            .build(question: question, results: order.map { results[$0] })
        answer.passages = prompt.passages

        // The answer is copied from the best evidence sentences of the passages given.
        // Headings and fragments ("## 3. Watches") repeat the question's words but answer nothing.
        let given = evidence.sentences.filter { order.contains($0.passage) }
        let whole = given.filter { AnswerText.words(String(results[$0.passage].text[$0.range])).count >= 4 }
        let chosen = Array((whole.isEmpty ? given : whole).prefix(options.candidateSentences))
        let sentenceTexts = chosen.map { String(results[$0.passage].text[$0.range]) }
        answer.evidence = zip(chosen, sentenceTexts).map { Evidence(n: (order.firstIndex(of: $0.passage) ?? 0) + 1, sentence: $1, score: $0.score) }
        guard let best = chosen.first else { return finish() }

        // The short answer: the candidate span the decoder finds most likely after "The answer is".
        let candidates = AnswerCandidates(sentences: sentenceTexts, question: question).candidates
        if options.cancellation?.isCancelled == true { return finish() }
        let picked = try pickCandidate(candidates, prompt: prompt, decoder: decoder, timings: &timings)
        let quotedSentence = picked.map { chosen[$0.sentence] } ?? best
        answer.rawAnswer = picked?.text ?? ""

        let passageIndex = order.firstIndex(of: quotedSentence.passage) ?? 0
        let passageText = results[quotedSentence.passage].text
        // Ranges of the search result's text are valid in the passage only if it was not trimmed.
        guard !prompt.passages[passageIndex].trimmed else { return finish() }
        let citation = Citation(passage: prompt.passages[passageIndex], quoting: quotedSentence.range, in: passageText)
        answer.citations = [citation]
        answer.citedAnswer = "\(citation.quote) [\(citation.n)]"
        answer.answer = picked?.text
        answer.grounded = true
        answer.notCovered = false
        return finish()
    }

    /// The candidate the decoder scores highest as the rest of "The answer is …", or nil when there
    /// is none (a question that no span of the evidence answers on its own).
    private func pickCandidate(_ candidates: [AnswerCandidates.Candidate], prompt: BuiltPrompt, decoder: LoadedDecoder,
                               timings: inout AskTimings) throws -> AnswerCandidates.Candidate? {
        guard !candidates.isEmpty else { return nil }
        let started = Date()
        let tokenizer = decoder.tokenizer
        let lead = tokenizer.encode(PromptBuilder.answerLead, parseSpecial: false)
        let continuations = candidates.map { tokenizer.encode(" " + $0.text, parseSpecial: false) }
        let ends = decoder.endOfGeneration.union([".", "\n", ",", ";"].flatMap { tokenizer.encode($0, parseSpecial: false) })
        let scored = try during("scoring the candidate answers") {
            try ContinuationScorer.logLikelihoods(model: decoder.model, prompt: prompt.ids + lead,
                                                  continuations: continuations, ends: ends,
                                                  lengthPenalty: 0.7)
        }
        timings.promptTokens = prompt.ids.count + lead.count
        timings.prefillSeconds = scored.prefillSeconds
        timings.generatedTokens = scored.steps
        timings.decodeSeconds = Date().timeIntervalSince(started) - scored.prefillSeconds
        var best = 0
        for i in scored.scores.indices where scored.scores[i] > scored.scores[best] { best = i }
        return candidates[best]
    }

}
