import Testing
@testable import Trove

/// Where a candidate answer stands counts: next to the question's words, in the sentence that
/// repeats them. And a candidate is one phrase: not two sentences, not two lines, not the number
/// of a list item.
@Suite("answer candidates stand by the question")
struct AnswerCandidatesStandByTheQuestionTests {
    static let wreck = "Forty-three people drowned, among them Captain Merrow. Eleven survivors clung to the rock "
        + "for 36 hours before fishermen took them off in an open boat."

    func candidates(_ question: String, _ paragraphs: [String]) -> [AnswerCandidates.Candidate] {
        AnswerCandidates(sentences: paragraphs, question: question).candidates
    }

    @Test("the number beside the question's words scores above a number further on")
    func nearNumberWins() throws {
        let found = candidates("How many people drowned in the wreck?", [Self.wreck])
        let near = try #require(found.first { $0.text == "Forty-three" })
        let far = try #require(found.first { $0.text == "36" })
        #expect(near.context > far.context)
    }

    @Test("a candidate in the sentence that repeats the question scores above one in another sentence")
    func ownSentenceCounts() throws {
        let paragraph = "The keeper wound the clockwork every forty minutes. The tower is 14 metres tall."
        let found = candidates("How often did the keeper wind the clockwork?", [paragraph])
        let right = try #require(found.first { $0.text == "forty minutes" })
        let wrong = try #require(found.first { $0.text == "14 metres" })
        #expect(right.context > wrong.context)
    }

    @Test("a question about a quantity with units keeps the numbers that carry one, when some do")
    func units() {
        let light = "Tollan Point\nPosition 58 deg 49.6 min N. Tower 14 metres high. Admission £4.50 for 2 adults."
        #expect(candidates("How tall is the Tollan Point tower?", [light]).allSatisfy { $0.text.contains("metres") })
        #expect(candidates("How much does admission cost?", [light]).map(\.text).allSatisfy { $0.contains("£") })
        // No number with a unit of length: the numbers stay.
        #expect(candidates("How tall is the tower?", ["It has 120 steps."]).map(\.text) == ["120", "120 steps"])
        // "How many" asks for a count, in no unit.
        #expect(candidates("How many adults?", [light]).contains { $0.text == "2" })
    }

    @Test("candidates do not run across a sentence end or a line break")
    func onePhrase() {
        let texts = candidates("Who led the rescue?", ["Driven to Port Ellery. Callum Reid led them.",
                                                      "Adult | £9.50\nChild | £4.50"]).map(\.text)
        #expect(texts.contains("Callum Reid"))
        #expect(!texts.contains { $0.contains("Ellery. Callum") || $0.contains("\n") })
    }

    @Test("the number of a list item or section is no answer", arguments: ["4. Staff\nThe Board employed 61 people.",
                                                                          "2) Colza oil replaced sperm oil."])
    func itemNumbers(paragraph: String) {
        let texts = candidates("How many were employed?", [paragraph]).map(\.text)
        #expect(!texts.contains("4") && !texts.contains("2"))
    }

    @Test("abbreviations do not end a candidate", arguments: ["e.g.", "i.e.", "etc."])
    func abbreviations(word: String) {
        #expect(AnswerCandidates.abbreviation(word))
        #expect(!AnswerCandidates.abbreviation("Ellery."))
        #expect(AnswerCandidates.isItemNumber("12.") && AnswerCandidates.isItemNumber("b)") && !AnswerCandidates.isItemNumber("9.50"))
    }
}

extension AnswerCandidatesStandByTheQuestionTests {
    @Test("a day of the month does not answer how many")
    func datesDoNotCount() {
        let texts = candidates("How many people drowned?", ["On 2 November 1789 the brig struck; 43 people drowned."]).map(\.text)
        #expect(texts.contains("43"))
        #expect(!texts.contains("2") && !texts.contains("2 November 1789"))
    }
}

extension AnswerCandidatesStandByTheQuestionTests {
    @Test("the name an API entry defines stands beside its description, however long the signature")
    func definedNameStandsByItsDescription() throws {
        let entry = "heapq.nsmallest(n, iterable, key=None)\n\nReturn a list with the n smallest elements from the dataset defined by iterable."
        let found = candidates("How do I get the smallest elements of a dataset?", [entry])
        let name = try #require(found.first { $0.text == "heapq.nsmallest" })
        let parameter = try #require(found.first { $0.text == "key=None" })
        #expect(name.context > parameter.context)
    }

    @Test("a label line names one thing: a signature, a keyword and a name, or one name; not a heading",
          arguments: [("random.randint(a, b)\nReturn a random integer N.", "random.randint"),
                      ("exception KeyError\nRaised when a key is not found.", "KeyError"),
                      ("class collections.deque([iterable[, maxlen]])\nReturns a new deque object.", "collections.deque"),
                      ("IntFlag\n\nBase class for flags.", "IntFlag"),
                      ("Logging Levels\n\nThe numeric values are given below.", nil),
                      ("A sentence on one line.", nil)])
    func definedNames(sentence: String, name: String?) {
        let range = AnswerCandidates.definedName(in: sentence[...])
        #expect(range.map { String(sentence[$0]) } == name)
    }
}

extension AnswerCandidatesStandByTheQuestionTests {
    @Test("in a table the answer is in the row of the question's words, not the row above")
    func tableRow() throws {
        let table = "The numeric values of logging levels are given in the following table.\n\nLevel | Numeric value\nINFO | 20\nDEBUG | 10\nNOTSET | 0"
        let found = candidates("What is the numeric value of the level DEBUG?", [table])
        let row = try #require(found.first { $0.text == "10" })
        let above = try #require(found.first { $0.text == "20" })
        #expect(row.context > above.context)
    }
}
