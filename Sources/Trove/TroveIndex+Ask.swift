import Foundation
import LlamaDecoder

/// How `ask` retrieves and answers.
public struct AskOptions: Sendable {
    /// Passages retrieved (before the context budget drops the weakest).
    public var k = 5
    /// The retriever (hybrid unless told otherwise).
    public var mode: SearchMode = .default
    /// Below this cosine similarity between the question and its best passage, the documents are
    /// taken not to cover the question and no answer is generated.
    public var minimumCosine: Float = 0.2
    /// Tokens the prompt may use at most (the model's context window caps it too). A small model
    /// answers better from a few focused passages than from a long context.
    public var promptBudget = 1536
    /// Sampling and length; greedy and 64 new tokens by default.
    public var generation: GenerationOptions = {
        var options = GenerationOptions()
        options.maxTokens = 64
        options.stopStrings = ["\nQuestion:", "\n["]
        return options
    }()

    public init() {}
}

/// The answer to a question, with the passages it was given and the ones it cites; the JSON
/// shape of `trove ask --json`.
public struct Answer: Codable, Sendable {
    public var question: String
    /// The short answer: the words of the answer sentence that answer, taken from a passage
    /// (the whole checked sentence when no such run of words is found).
    public var answer: String
    /// The checked answer sentence(s) with `[n]` citation markers (unknown markers removed).
    public var citedAnswer: String
    /// What the model wrote, before checking.
    public var rawAnswer: String
    public var citations: [Citation]
    public var passages: [Passage]
    /// Markers `[n]` naming no passage in the prompt, removed from the answer.
    public var droppedCitations: [Int]
    /// True when every sentence of the answer is supported by a passage it cites.
    public var grounded: Bool
    /// True when no passage was close enough, or the model said the documents do not cover it.
    public var notCovered: Bool
    public var timings: Timings?

    /// `ask` exits with its own code unless the answer is covered and grounded.
    public var isSupported: Bool { grounded && !notCovered }

    enum CodingKeys: String, CodingKey {
        case question, answer, citations, passages, grounded, timings
        case rawAnswer = "raw_answer"
        case citedAnswer = "cited_answer"
        case droppedCitations = "dropped_citations"
        case notCovered = "not_covered"
    }

    /// The sentence given when the documents do not hold the answer.
    public static let notCoveredText = "The documents do not cover this."
}

extension TroveIndex {
    /// Answers `question` from the index: retrieves passages, has the decoder answer from them
    /// with `[n]` citations (`onText` receives the answer as it is generated), then checks the
    /// citations against the passages.
    public func ask(_ question: String, options: AskOptions = AskOptions(),
                    onText: (String) -> Void = { _ in }) throws -> Answer {
        let results = try search(question, k: options.k, mode: options.mode)
        guard let closest = results.map(\.cosine).max(), closest >= options.minimumCosine else {
            onText(Answer.notCoveredText)
            return Answer(question: question, answer: Answer.notCoveredText, citedAnswer: Answer.notCoveredText,
                          rawAnswer: "", citations: [], passages: [],
                          droppedCitations: [], grounded: false, notCovered: true, timings: nil)
        }
        let decoder = try decoder()
        let template = try decoder.requireTemplate()
        let window = min(decoder.model.config.contextLength, options.promptBudget + options.generation.maxTokens)
        let builder = PromptBuilder(tokenizer: decoder.tokenizer, template: template,
                                    budget: window - options.generation.maxTokens)
        let prompt = builder.build(question: question, results: results)
        var generation = try generate(ids: prompt.ids, decoder: decoder, options: options.generation, onText: onText)
        if AnswerShaping.shape(generation.text).isEmpty && generation.stopReason == "eos" {
            // The model ended after a lead-in ("The answer is:"): let it go on from there.
            let lead = generation.generatedIDs + decoder.tokenizer.encode("\n", parseSpecial: false)
            let more = try generate(ids: prompt.ids + lead, decoder: decoder, options: options.generation, onText: onText)
            generation.text += "\n" + more.text
            generation.generatedIDs = lead + more.generatedIDs
            generation.stopReason = more.stopReason
        }
        let shaped = AnswerShaping.shape(generation.text)
        let notCovered = AnswerShaping.saysNotCovered(shaped)
        let check = CitationCheck.check(answer: shaped, passages: prompt.passages)
        let firstSentence = AnswerText.splitMarkers(AnswerText.sentences(check.answer).first ?? "").plain
        let short = ShortAnswer.extract(from: firstSentence, question: question, passages: prompt.passages)
        return Answer(question: question,
                      answer: notCovered ? Answer.notCoveredText : (short ?? AnswerText.splitMarkers(check.answer).plain),
                      citedAnswer: notCovered ? Answer.notCoveredText : check.answer,
                      rawAnswer: generation.text, citations: notCovered ? [] : check.citations,
                      passages: prompt.passages, droppedCitations: check.dropped,
                      grounded: !notCovered && check.grounded, notCovered: notCovered, timings: generation.timings)
    }
}
