import Testing
@testable import Trove

/// A FAQ's question ("How do I make a script executable?") matches a question worded like it
/// best, but its answer is the text after it: those sentences take the question's score, in
/// order, up to the next question, and the question itself is marked as one.
@Suite("evidence after a question")
struct EvidenceAfterAQuestionTests {
    static let faq = """
        How do I make a script executable?

        You need to do two things. The first is done by running chmod +x on it. The second is a #! line.

        Why is it slow?

        Because it starts the interpreter.
        """

    /// Embeddings that make the question's twin in the text the only sentence like the question.
    func evidence(_ question: String, passage: String) throws -> EvidenceSelection {
        try EvidenceSelection(question: question, passages: [(passage, 0.5)]) { texts in
            texts.map { $0 == question || $0 == "How do I make a script executable?" ? [1, 0] : [0, 1] }
        }
    }

    func sentence(_ evidence: EvidenceSelection, startingWith prefix: String) throws -> EvidenceSelection.Sentence {
        try #require(evidence.sentences.first { String(Self.faq[$0.range]).hasPrefix(prefix) })
    }

    @Test("the sentences after a question score what it scores, the first the most, up to the next question")
    func answerInherits() throws {
        let found = try evidence("How do I make a script executable?", passage: Self.faq)
        let question = try sentence(found, startingWith: "How do I")
        let first = try sentence(found, startingWith: "You need")
        let second = try sentence(found, startingWith: "The first")
        let third = try sentence(found, startingWith: "The second")
        let afterNext = try sentence(found, startingWith: "Because")
        #expect(question.asks && !first.asks)
        #expect(first.score == question.score)
        #expect(second.score < first.score && second.score > afterNext.score && third.score < second.score)
        // The sentence after the next question answers that one, not the first.
        let next = try sentence(found, startingWith: "Why is it")
        #expect(next.asks && afterNext.answering == next.matched)
        // Questions are ranked with the rest; ``TroveIndex/ask`` quotes none of them.
        #expect(found.sentences.prefix(2).map { String(Self.faq[$0.range]).prefix(3) } == ["How", "You"])
    }

    @Test("the passages that can answer come first, then the others by their best sentence")
    func answerablePassagesFirst() throws {
        // Passage 0's sentence matches best but holds no option; passage 2's holds one.
        let passages: [(text: String, cosine: Float)] = [("cp - copy files and directories", 0.5), ("Nothing here at all.", 0.5),
                                                         ("-R, --recursive\ncopy directories recursively", 0.5)]
        let found = try EvidenceSelection(question: "Which cp option copies directories?", passages: passages) { texts in
            texts.map { $0.hasPrefix("cp -") || $0.hasPrefix("Which") ? [1, 0] : $0.hasPrefix("-R") ? [0.8, 0.6] : [0, 1] }
        }
        #expect(found.passageOrder(count: 2) == [0, 2])
        let canAnswer = { (sentence: EvidenceSelection.Sentence) in
            AnswerType.code.occurs(in: passages[sentence.passage].text[sentence.range])
        }
        #expect(found.passageOrder(count: 2, canAnswer: canAnswer) == [2, 0])
        #expect(found.passageOrder(count: 3, canAnswer: canAnswer) == [2, 0, 1])
    }

    @Test("the question's words count where the sentence stands: in its page's title and section too")
    func titleWordsCount() throws {
        let passages: [(text: String, cosine: Float)] = [("-c, --count\nprint a count of matching lines", 0.5),
                                                         ("-l, --lines\nprint the newline counts", 0.5)]
        let contexts = ["grep, egrep - print lines that match patterns > DESCRIPTION", "wc - print newline, word, and byte counts > DESCRIPTION"]
        let found = try EvidenceSelection(question: "Which wc option prints the number of lines?", passages: passages,
                                          contexts: contexts) { texts in texts.map { _ in [1, 0] } }
        let grep = try #require(found.sentences.first { $0.passage == 0 }), wc = try #require(found.sentences.first { $0.passage == 1 })
        #expect(wc.overlap > grep.overlap && found.sentences.first?.passage == 1)
        let alone = try EvidenceSelection(question: "Which wc option prints the number of lines?", passages: passages) { texts in
            texts.map { _ in [1, 0] }
        }
        #expect(alone.sentences.first { $0.passage == 1 }!.overlap < wc.overlap)
    }

    @Test("a sentence scores no less than its own match")
    func ownMatchStays() throws {
        let found = try EvidenceSelection(question: "Q", passages: [("Is it? It is.", 0.5)]) { texts in
            texts.map { $0 == "It is." || $0 == "Q" ? [1, 0] : [0, 1] }
        }
        let answer = try #require(found.sentences.first { !$0.asks })
        #expect(answer.score == answer.matched && answer.matched > (answer.answering ?? 0))
    }
}
