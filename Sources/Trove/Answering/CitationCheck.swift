import Foundation

/// A passage the answer cites, with how well the citing sentence is supported by it.
public struct Citation: Codable, Sendable, Equatable {
    /// The passage number, as in `[n]`.
    public var n: Int
    public var path: String
    public var start: Int
    public var end: Int
    public var page: Int?
    /// The passage text.
    public var text: String
    /// The answer sentence that cites it (markers removed).
    public var sentence: String
    /// Share of the sentence's content words found in the passage (0…1).
    public var support: Double
    /// True when the model wrote no marker and Trove attributed the sentence to the passage
    /// that supports it best.
    public var inferred: Bool
}

/// Checks the citations of a generated answer against the passages that were in the prompt.
///
/// Markers `[n]` for passages that were not in the prompt are removed (and reported); every
/// sentence is scored for support against the passages it cites by word overlap — no second
/// language model is involved. A sentence without a marker is attributed to the passage that
/// supports it best, when one does.
public struct CitationCheck {
    /// A sentence is supported when at least this share of its content words is in the passage.
    public static let supportThreshold = 0.5

    public struct Result: Sendable {
        /// The answer with unknown markers removed (and inferred ones added).
        public var answer: String
        public var citations: [Citation]
        /// Markers that named no passage in the prompt.
        public var dropped: [Int]
        /// True when every sentence of the answer is supported by a cited passage.
        public var grounded: Bool
    }

    public static func check(answer: String, passages: [Passage]) -> Result {
        let byNumber = Dictionary(passages.map { ($0.n, $0) }, uniquingKeysWith: { first, _ in first })
        var dropped: [Int] = []
        var citations: [Citation] = []
        var rebuilt: [String] = []
        var allSupported = true
        for sentence in AnswerText.sentences(answer) {
            let (plain, markers) = AnswerText.splitMarkers(sentence)
            let known = markers.filter { byNumber[$0] != nil }
            dropped += markers.filter { byNumber[$0] == nil }
            let words = AnswerText.contentWords(plain)
            if words.isEmpty {                                  // "[2]." or punctuation only
                if !plain.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { rebuilt.append(plain) }
                continue
            }
            var cited = known.compactMap { n in byNumber[n].map { (passage: $0, inferred: false) } }
            if cited.isEmpty, let best = bestSupporting(words, passages) {
                cited = [(best, true)]
            }
            var sentenceSupported = false
            for (passage, inferred) in cited {
                let support = overlap(words, passage.text)
                sentenceSupported = sentenceSupported || support >= supportThreshold
                if !citations.contains(where: { $0.n == passage.n && $0.sentence == plain }) {
                    citations.append(Citation(n: passage.n, path: passage.path, start: passage.start, end: passage.end,
                                              page: passage.page, text: passage.text, sentence: plain,
                                              support: support, inferred: inferred))
                }
            }
            allSupported = allSupported && sentenceSupported
            let markerText = cited.map { "[\($0.passage.n)]" }.joined()
            rebuilt.append(AnswerText.attach(markerText, to: plain))
        }
        return Result(answer: rebuilt.joined(separator: " "), citations: citations, dropped: dropped,
                      grounded: allSupported && !citations.isEmpty)
    }

    /// The passage whose text holds the largest share of `words`, if that share reaches the threshold.
    static func bestSupporting(_ words: [String], _ passages: [Passage]) -> Passage? {
        let scored = passages.map { ($0, overlap(words, $0.text)) }
        guard let best = scored.max(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0.n > $1.0.n) }),
              best.1 >= supportThreshold else { return nil }
        return best.0
    }

    /// Share of `words` that occur among the passage's words (after the same normalisation).
    static func overlap(_ words: [String], _ passageText: String) -> Double {
        guard !words.isEmpty else { return 0 }
        let vocabulary = Set(AnswerText.words(passageText))
        let found = words.filter { vocabulary.contains($0) }.count
        return Double(found) / Double(words.count)
    }
}
