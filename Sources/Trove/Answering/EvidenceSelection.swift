/// Chooses the evidence before the model writes anything: every sentence of the retrieved
/// passages is scored against the question, and the passages holding the best sentences become
/// the model's whole context.
///
/// A 135M model reads a long context badly; given the two passages whose sentences best match
/// the question, in that order, it has less to get lost in and the prompt is short (so fast).
/// The score of a sentence is the mean of two cosines with the question, the sentence's own and
/// its passage's (a short sentence alone is a noisy vector: a heading that repeats the question's
/// words would win over the sentence that answers), plus a share of the question's content words
/// that the sentence holds (an exact name or identifier in the question is strong evidence that a
/// dense vector may blur), in its own words or in its page's title and section: a sentence is
/// read where it stands ("-l, --lines print the newline counts" answers "Which wc option prints
/// the number of lines?" on the page titled "wc - print newline, word, and byte counts", not
/// grep's "-c, --count … print a count of matching lines").
///
/// A sentence that asks ("How do I make a Python script executable on Unix?", a FAQ's heading) is
/// the best match for a question worded like it, but answers nothing: the text after it does. So
/// the sentences after a question, up to the next question and at most ``answerLength``, score at
/// least what the question scores (the first the most), and a question is never quoted as an answer.
struct EvidenceSelection {
    /// One scored sentence: which retrieved passage (index into the results) and where in its text.
    struct Sentence {
        var passage: Int
        var range: Range<String.Index>
        var cosine: Float
        var passageCosine: Float
        var overlap: Float
        /// Whether the sentence is a question (it ends in "?").
        var asks = false
        /// The score of the question just before it that it answers, less a little for each sentence between.
        var answering: Float?
        /// How well the sentence itself matches the question.
        var matched: Float { (cosine + passageCosine) / 2 + EvidenceSelection.overlapWeight * overlap }
        var score: Float { max(matched, answering ?? -.infinity) }
    }

    static let overlapWeight: Float = 0.25
    /// Sentences after a question that count as its answer: a FAQ's answer is a short paragraph.
    static let answerLength = 3
    /// Each sentence further from the question scores this much less, so that its answer reads in order.
    static let answerStep: Float = 0.01

    /// Every sentence, best first (ties: earlier passage, then earlier sentence).
    let sentences: [Sentence]

    /// Scores the sentences of `passages` (with their cosines to the question) against `question`
    /// with `embed` (the encoder); `contexts[p]`, when given, is passage p's title and heading path.
    init(question: String, passages: [(text: String, cosine: Float)], contexts: [String] = [],
         embed: ([String]) throws -> [[Float]]) throws {
        var found: [Sentence] = []
        var texts: [String] = [question]
        for (p, passage) in passages.enumerated() {
            for range in PassageSentences.ranges(in: passage.text) {
                let text = String(passage.text[range])
                found.append(Sentence(passage: p, range: range, cosine: 0, passageCosine: passage.cosine, overlap: 0,
                                      asks: text.hasSuffix("?")))
                texts.append(text)
            }
        }
        let vectors = try embed(texts)
        let questionWords = Set(AnswerText.contentWords(question).map(ShortAnswer.stem))
        let contextWords = contexts.map { Set(AnswerText.words($0).map(ShortAnswer.stem)) }
        for i in found.indices {
            found[i].cosine = zip(vectors[0], vectors[i + 1]).reduce(0) { $0 + $1.0 * $1.1 }
            let p = found[i].passage
            let words = Set(AnswerText.words(texts[i + 1]).map(ShortAnswer.stem)).union(p < contextWords.count ? contextWords[p] : [])
            found[i].overlap = questionWords.isEmpty ? 0
                : Float(questionWords.filter(words.contains).count) / Float(questionWords.count)
        }
        for (q, question) in found.enumerated() where question.asks {
            var i = q + 1
            while i < found.count, i - q <= Self.answerLength, found[i].passage == question.passage, !found[i].asks {
                found[i].answering = max(found[i].answering ?? -.infinity, question.matched - Self.answerStep * Float(i - q - 1))
                i += 1
            }
        }
        sentences = found.enumerated().sorted { a, b in
            a.element.score != b.element.score ? a.element.score > b.element.score : a.offset < b.offset
        }.map(\.element)
    }

    /// The passages to answer from: those holding the best sentences that `canAnswer`, best
    /// first, then those holding the best of the others, at most `count`.
    func passageOrder(count: Int, canAnswer: (Sentence) -> Bool = { _ in true }) -> [Int] {
        var order: [Int] = []
        for sentence in sentences.filter(canAnswer) + sentences where !order.contains(sentence.passage) {
            order.append(sentence.passage)
            if order.count == count { break }
        }
        return order
    }

    /// The best-scored sentence of passage `p` that overlaps `range`, if any.
    func score(passage p: Int, overlapping range: Range<String.Index>) -> Float? {
        sentences.first { $0.passage == p && $0.range.overlaps(range) }?.score
    }
}
