import Testing
@testable import Trove

/// A short answer is a span that answers, or nothing: never a stop word, a generic verb or noun
/// ("use", "function"), a lead-in ("You can use the following code:") or the question's own words.
@Suite("short answers carry meaning")
struct ShortAnswerIsNeverMeaninglessTests {
    static let vocabulary = [
        "the", "a", "if", "each", "set", "using", "use", "function", "decorator", "of", "to", "is", "you",
        "can", "following", "code", "file", "exists", "check", "whether", "randint", "Canberra", "1794",
        "os.path.exists(path)", "list(set(items))", "--verbose", "forty", "minutes", "Josiah", "Merrow",
        ",", ":", "and", "returns", "value", "True", "None", "module", "£9.50", "(see", "below)", "E.g.", "etc.",
    ]
    static let questions = ["How do I check whether a file exists?", "Who was the captain?",
                            "How many minutes?", "What does the decorator do?"]

    /// A deterministic pseudo-random sentence of 1–12 words from the vocabulary.
    static func sentence(_ seed: Int) -> String {
        var state = UInt64(seed) &* 6364136223846793005 &+ 1442695040888963407
        func next() -> Int { state = state &* 6364136223846793005 &+ 1; return Int(state >> 33) }
        return (0 ..< 1 + next() % 12).map { _ in vocabulary[next() % vocabulary.count] }.joined(separator: " ")
    }

    @Test("over 5,000 generated spans, a chosen short answer always has a word of its own")
    func generatedSpans() {
        let meaningless = ShortAnswer.fillerWords.union(ShortAnswer.genericWords)
        for seed in 0 ..< 5_000 {
            let span = Self.sentence(seed)
            let question = Self.questions[seed % Self.questions.count]
            guard let short = ShortAnswer.choose(span: span, question: question) else { continue }
            let words = AnswerText.words(short)
            #expect(!words.isEmpty, "\(span) → '\(short)'")
            #expect(words.count <= ShortAnswer.maximumWords, "\(span) → '\(short)'")
            #expect(!(words.count == 1 && meaningless.contains(words[0])), "\(span) → '\(short)'")
            #expect(!short.hasSuffix(":"), "a lead-in: \(span) → '\(short)'")
            #expect(ShortAnswer.isMeaningful(short, question: question), "\(span) → '\(short)'")
        }
    }

    @Test("every candidate answer of generated sentences is meaningful and verbatim")
    func candidatesAreVerbatim() {
        for seed in 0 ..< 1_000 {
            let sentences = [Self.sentence(seed), Self.sentence(seed + 7_919)]
            let question = Self.questions[seed % Self.questions.count]
            for candidate in AnswerCandidates(sentences: sentences, question: question).candidates {
                #expect(String(sentences[candidate.sentence][candidate.range]) == candidate.text)
                #expect(ShortAnswer.isMeaningful(candidate.text, question: question), "'\(candidate.text)'")
            }
        }
    }

    @Test("the failures users met give no short answer", arguments: [
        ("if", "How do I check whether a file exists?"),
        ("each", "How do I loop over a list?"),
        ("set", "How do I remove duplicates from a list?"),
        ("using", "How do I read a file?"),
        ("use the random module", "How do I get a random integer between 1 and 10?"),
        ("You can use the following code to write log messages to a file:", "How do I write log messages to a file?"),
        ("decorator", "What does the property decorator do?"),
        ("given", "What is the numeric value of the logging level DEBUG?"),
        ("provided", "How do I give a dataclass field a default value?"),
        ("possible", "Can I sort a list in place?"),
        ("set()", "How do I wait for a thread to finish?"),
        ("None", "What does the function return?"),
        ("Recursively", "How do I copy a folder with everything inside it to a new place?"),
        ("simply", "What happens to a temporary sequence's values when the session ends?"),
        ("isn’t", "Python has no switch statement; what can I write instead?"),
        ("E.g", "Which clock function is best for timing short pieces of code precisely?"),
        ("i.e.", "Which variable holds the module's name?"),
        ("-v", "What does the -v option of grep do?"),
        ("31", "What was the Board's total expenditure in the year ended 31 March 1998?"),
        ("os.path.exists()", "What does os.path.exists() return for a broken symbolic link?"),
    ])
    func knownFailures(span: String, question: String) {
        #expect(ShortAnswer.choose(span: span, question: question) == nil)
    }

    @Test("names, numbers and code are short answers", arguments: [
        ("Captain Josiah Merrow", "Who was the captain of the Halcyon?", "Josiah Merrow"),
        ("2,164 blocks", "How many granite blocks make up the tower?", "2,164"),
        ("os.path.exists(path)", "How do I check whether a file exists?", "os.path.exists(path)"),
        ("mylist = list(set(mylist))", "How do I remove duplicates from a list?", "mylist = list(set(mylist))"),
        ("the red light", "What colour is the light?", "red"),
        ("Embedded", "Which mode does the database run in?", "Embedded"),
        ("family", "Which font setting names the typeface?", "family"),
    ])
    func goodAnswers(span: String, question: String, expected: String) {
        #expect(ShortAnswer.choose(span: span, question: question) == expected)
    }

    @Test("the answer type follows the question's wording")
    func answerTypes() {
        #expect(AnswerType(question: "How many blocks are there?") == .number)
        #expect(AnswerType(question: "When was it lit?") == .date)
        #expect(AnswerType(question: "Who invented the sun valve?") == .name)
        #expect(AnswerType(question: "How do I read a file?") == .any)
        #expect(AnswerType.number.admits("2,164") && !AnswerType.number.admits("blocks"))
        #expect(!AnswerType.number.admits("1906,") && AnswerType.date.admits("1906"))
        #expect(AnswerType.name.admits("Merrow") && !AnswerType.name.admits("captain"))
        #expect(AnswerType(question: "Which clock function is best for timing code?") == .code)
        #expect(AnswerType.code.admits("perf_counter") && AnswerType.code.admits("OrderedDict") && AnswerType.code.admits("time.sleep()"))
        #expect(!AnswerType.code.admits("0.0") && !AnswerType.code.admits("(Ctrl+C)") && !AnswerType.code.admits("Flag"))
        // A command-line option is code; an address, a negative number or a list's dash is not.
        #expect(AnswerType.code.admits("-t") && AnswerType.code.admits("-name") && AnswerType.code.admits("--summarize"))
        #expect(!AnswerType.code.admits("-1") && !AnswerType.code.admits("-") && !AnswerType.code.admits("<https://www.gnu.org/software>"))
        // "How can I find out how many…" asks for a procedure, not a number.
        #expect(AnswerType(question: "How can I find out how many processors the computer has?") == .any)
    }

    @Test("a sentence can give the short answer when it holds a word of the type asked for")
    func answerableSentences() {
        #expect(AnswerType.code.occurs(in: "-s, --summarize\ndisplay only a total for each argument"))
        #expect(!AnswerType.code.occurs(in: "cp - copy files and directories"))
        #expect(!AnswerType.code.occurs(in: "Full documentation <https://www.gnu.org/software/coreutils/du>"))
        #expect(AnswerType.number.occurs(in: "The tower is built from **2,164 blocks** of granite."))
        #expect(!AnswerType.number.occurs(in: "Like Smeaton's tower, the courses are dovetailed."))
        #expect(AnswerType.any.occurs(in: "anything"))
    }
}

extension ShortAnswerIsNeverMeaninglessTests {
    @Test("a yes-or-no question is answered by the quote, not a span; asking for a thing or offering alternatives is not one",
          arguments: [("Is varchar(255) faster than text?", true), ("Can I use the widget in the rain?", true),
                      ("Should I remove the Python that came with my operating system?", true),
                      ("Doesn't the widget float?", true),
                      ("Is there a way to remove duplicates from a list?", false),
                      ("Do array subscripts start at 0 or at 1?", false),
                      ("How do I reset the widget?", false), ("Which function returns a random integer?", false)])
    func yesOrNo(question: String, asks: Bool) {
        #expect(AnswerType.asksYesOrNo(question) == asks)
        if asks { #expect(!AnswerType.spanAnswers(question, span: "IP67")) }
    }

    @Test("a how-to question is answered by what to type, or by the quote alone",
          arguments: [("How do I make a Python script executable on Unix?", "two", false),
                      ("How can I restore factory settings on the widget?", "light blinks amber", false),
                      ("How do I pick one random item out of a list?", "random.choice(seq)", true),
                      ("How do I show every option?", "--verbose", true),
                      ("How many hours does the battery last?", "36", true),
                      ("How long did the siren run?", "87 hours", true)])
    func howTo(question: String, span: String, kept: Bool) {
        #expect(AnswerType.spanAnswers(question, span: span) == kept)
    }
}
