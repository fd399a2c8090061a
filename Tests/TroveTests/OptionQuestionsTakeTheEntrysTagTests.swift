import Testing
@testable import Trove

@Suite("A question that asks for an option is answered by an option's tag")
struct OptionQuestionsTakeTheEntrysTagTests {
    static let page = """
        -t
        sort by time, newest first; see --time

        -u
        with -lt: sort by, and show, access time; otherwise: sort by access time, newest first

        When sorting by time, ties are broken by name.
        """

    func sentence(_ text: String, in page: String = Self.page) -> (text: String, range: Range<String.Index>) {
        (page, page.range(of: text)!)
    }

    @Test("which questions ask for an option")
    func asks() {
        #expect(AnswerType.asksForOption("Which ls option sorts entries by modification time?"))
        #expect(AnswerType.asksForOption("What flag makes grep ignore case?"))
        #expect(!AnswerType.asksForOption("Which function returns the size of a file?"))
        #expect(!AnswerType.asksForOption("Is it optional?"))
    }

    @Test("the first sentence in an option's entry gives the tag; prose and skipped sentences do not")
    func firstEntry() throws {
        let prose = sentence("When sorting by time, ties are broken by name.")
        let description = sentence("with -lt: sort by, and show, access time; otherwise: sort by access time, newest first")
        let entry = try #require(AnswerCandidates.firstOptionEntry([prose, nil, description]))
        #expect(entry.sentence == 2)
        #expect(Self.page[entry.name] == "-u")
        #expect(Self.page[entry.entry].hasPrefix("-u\nwith -lt"))
        #expect(AnswerCandidates.firstOptionEntry([prose]) == nil)
        #expect(AnswerCandidates.firstOptionEntry([nil]) == nil)
    }

    @Test("a tag names the first spelling of the option; a tag far above the sentence is not its entry")
    func spellings() throws {
        let page = "-s, --summarize\ndisplay only a total for each argument"
        let entry = try #require(AnswerCandidates.firstOptionEntry([(page, page.range(of: "display only a total for each argument")!)]))
        #expect(page[entry.name] == "-s")
        let long = "-v\n" + String(repeating: "verbose output. ", count: 50) + "Last words."
        #expect(AnswerCandidates.firstOptionEntry([(long, long.range(of: "Last words.")!)]) == nil)
    }
}
