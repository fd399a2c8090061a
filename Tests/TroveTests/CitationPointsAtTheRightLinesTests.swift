import Foundation
import Testing
@testable import Trove

@Suite("citations a person can open")
struct CitationPointsAtTheRightLinesTests {
    static func passage(_ text: String, lineStart: Int?, anchor: String? = nil, page: Int? = nil) -> Passage {
        let result = SearchResult(rank: 1, chunkID: 1, path: "/home/u/notes/fog.txt", title: nil, text: text,
                                  distance: 0.5, cosine: 0.75, start: 100, end: 100 + text.unicodeScalars.count,
                                  page: page, headingPath: "Fog > Sirens", lineStart: lineStart,
                                  lineEnd: lineStart.map { $0 + text.filter { $0 == "\n" }.count }, anchor: anchor, score: 0.75)
        return Passage(result, n: 2)
    }

    @Test("a quote's lines are counted from the passage's first line, its span in code points")
    func linesAndSpan() throws {
        let text = "The siren (1903)\n\nIts longest run was 87 hours,\nin July 1955. Then it stopped."
        let passage = Self.passage(text, lineStart: 12)
        let quote = try #require(text.range(of: "Its longest run was 87 hours,\nin July 1955."))
        let citation = Citation(passage: passage, quoting: quote, in: text)
        #expect(citation.lineStart == 14 && citation.lineEnd == 15)
        #expect(citation.location == "/home/u/notes/fog.txt:14-15")
        #expect(citation.start == 100 + text.distance(from: text.startIndex, to: quote.lowerBound))
        #expect(citation.end - citation.start == citation.quote.unicodeScalars.count)
        #expect(citation.section == "Fog > Sirens")
    }

    @Test("HTML names its anchor, PDF its page")
    func anchorsAndPages() throws {
        let html = Citation(passage: Self.passage("Return True if path exists.", lineStart: nil, anchor: "os.path.exists"),
                            quoting: "Return True if path exists.".startIndex ..< "Return True if path exists.".endIndex,
                            in: "Return True if path exists.")
        #expect(html.location.hasSuffix("fog.txt#os.path.exists"))
        let pdf = Citation(passage: Self.passage("Total 4.82 million.", lineStart: nil, page: 3),
                           quoting: "Total 4.82 million.".startIndex ..< "Total 4.82 million.".endIndex, in: "Total 4.82 million.")
        #expect(pdf.location.hasSuffix("fog.txt, page 3"))
    }

    @Test("a PowerPoint file's page is its slide")
    func slides() {
        #expect(Citation.location(path: "talks/Deck.PPTX", lineStart: nil, lineEnd: nil, anchor: nil, page: 4) == "talks/Deck.PPTX, slide 4")
        #expect(Citation.location(path: "talks/deck.pdf", lineStart: nil, lineEnd: nil, anchor: nil, page: 4) == "talks/deck.pdf, page 4")
    }

    @Test("paths below the current directory are shown relative to it")
    func relativePaths() {
        #expect(Citation.displayPath("/home/u/notes/fog.txt", relativeTo: "/home/u") == "notes/fog.txt")
        #expect(Citation.displayPath("/home/u/notes/fog.txt", relativeTo: "/home/u/") == "notes/fog.txt")
        #expect(Citation.displayPath("/srv/fog.txt", relativeTo: "/home/u") == "/srv/fog.txt")
        #expect(Citation.displayPath("/home/user2/a.txt", relativeTo: "/home/u") == "/home/user2/a.txt")
    }

    @Test("sentences: wrapped prose stays whole; list items, code lines and blank lines cut; a label goes with its sentence")
    func sentences() {
        let text = """
            The keeper on watch shall wind the rotation machine every forty minutes, trim the
            wicks and record the weather. Dr. Roane agreed.

            - lamp lit at sunset
            x = f(1);
            random.randint(a, b)

            Return a random integer N such that a <= N <= b inclusive. Alias for randrange(a, b+1).
            """
        let parts = PassageSentences.ranges(in: text).map { String(text[$0]) }
        #expect(parts == [
            "The keeper on watch shall wind the rotation machine every forty minutes, trim the\nwicks and record the weather.",
            "Dr. Roane agreed.", "- lamp lit at sunset", "x = f(1);",
            "random.randint(a, b)\n\nReturn a random integer N such that a <= N <= b inclusive.", "Alias for randrange(a, b+1).",
        ])
    }

    @Test("a command-line option's tag goes with its description, which may start in lower case; a list item does not")
    func optionTags() {
        let text = """
            -s, --summarize
            display only a total for each argument

            --si
            like -h, but use powers of 1000 not 1024

            - milk
            bread and butter
            """
        let parts = PassageSentences.ranges(in: text).map { String(text[$0]) }
        #expect(parts == [
            "-s, --summarize\ndisplay only a total for each argument", "--si\nlike -h, but use powers of 1000 not 1024",
            "- milk", "bread and butter",
        ])
        #expect(PassageSentences.isOptionTag("-R, -r, --recursive") && PassageSentences.isOptionTag("--block-size=SIZE"))
        #expect(!PassageSentences.isOptionTag("- milk") && !PassageSentences.isOptionTag("-1 degrees") && !PassageSentences.isOptionTag("--"))
        // The option a tag defines stands beside every word of its description.
        #expect(AnswerCandidates.definedName(in: parts[0][...]).map { String(parts[0][$0]) } == "-s")
    }

    @Test("a quote is its sentence with the rest of the paragraph, within the length; a quote ending in a colon takes the block after it")
    func paragraphQuotes() throws {
        let text = """
            Statements

            The pass statement does nothing. It can be used when a statement is required. It is often used for minimal classes.

            Another paragraph. Not quoted.

            If all elements are hashable this is often faster:

            mylist = list(set(mylist))
            print(mylist)

            Afterwards.
            """
        func quote(_ sentence: String) throws -> String {
            let range = try #require(text.range(of: sentence))
            return String(text[PassageSentences.quote(around: range, in: text)])
        }
        #expect(try quote("It can be used when a statement is required.")
            == "Statements\n\nThe pass statement does nothing. It can be used when a statement is required. It is often used for minimal classes.")
        #expect(try quote("Another paragraph.") == "Another paragraph. Not quoted.")
        #expect(try quote("If all elements are hashable this is often faster:")
            == "If all elements are hashable this is often faster:\n\nmylist = list(set(mylist))\nprint(mylist)")
        // (The heading goes with its first sentence, as a label does: ``PassageSentences/attachingLabels(_:in:)``.)
        // A paragraph longer than the quote's length keeps the sentence and what fits around it.
        let long = (1...30).map { "Sentence number \($0) of a long paragraph." }.joined(separator: " ")
        let middle = try #require(long.range(of: "Sentence number 15 of a long paragraph."))
        let shown = String(long[PassageSentences.quote(around: middle, in: long)])
        #expect(shown.contains("Sentence number 15 of") && shown.count <= PassageSentences.quoteLength)
    }

    @Test("a sentence naming the following table takes the table, wherever it stands in its paragraph; a table row labels nothing")
    func followingTable() throws {
        let text = """
            The numeric values of levels are given in the following table. They matter for your own levels.

            Level | Value
            INFO | 20
            DEBUG | 10

            Levels can also be set by a configuration file.
            """
        let range = try #require(text.range(of: "The numeric values of levels are given in the following table."))
        #expect(String(text[PassageSentences.quote(around: range, in: text)]).hasSuffix("INFO | 20\nDEBUG | 10"))
        #expect(PassageSentences.ranges(in: text).map { String(text[$0]) }.suffix(2)
            == ["DEBUG | 10", "Levels can also be set by a configuration file."])
        #expect(!PassageSentences.announcesBlock("It follows the rules of the game."[...]))
        #expect(PassageSentences.announcesBlock("The result is shown below."[...]))
    }

    @Test("overlapping quotes of one passage are shown once")
    func mergedQuotes() throws {
        let text = "One. Two. Three. Four."
        let a = try #require(text.range(of: "One. Two.")), b = try #require(text.range(of: "Two. Three.")), c = try #require(text.range(of: "Four."))
        #expect(TroveIndex.merged([c, b, a]).map { String(text[$0]) } == ["One. Two. Three.", "Four."])
    }
}
