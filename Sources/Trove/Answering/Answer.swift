import Foundation

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
    /// Names in the question that no passage of the index holds (``UnmentionedNames``); a passage
    /// must then be closer to the question for it to count as covered.
    public var unmentioned: [String] = []

    /// `ask` exits with its own code unless the answer is covered and shown.
    public var isSupported: Bool { !notCovered && citedAnswer != nil }

    enum CodingKeys: String, CodingKey {
        case question, answer, citations, evidence, passages, grounded, timings, unmentioned
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
        try container.encode(unmentioned, forKey: .unmentioned)
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
