import Testing
@testable import Trove

@Suite("Names the documents never mention")
struct UnmentionedNamesTests {
    /// Word pieces as a vocabulary without these words would cut them.
    static func pieces(_ word: Substring) -> Int {
        ["pandas", "conda", "nginx", "openpyxl", "xlsx"].contains(String(word)) ? 2 : 1
    }

    @Test("a name is capitalised after the first word, in mixed case, or not one word of the vocabulary")
    func candidates() {
        #expect(UnmentionedNames.candidates(in: "Which pandas function reads an Excel spreadsheet?", pieces: Self.pieces)
                == ["pandas", "Excel"])
        #expect(UnmentionedNames.candidates(in: "How do I convert a PNG image with ImageMagick?", pieces: Self.pieces)
                == ["PNG", "ImageMagick"])
        #expect(UnmentionedNames.candidates(in: "How do I read an .xlsx file with openpyxl?", pieces: Self.pieces)
                == ["xlsx", "openpyxl"])
        // The first word is capitalised anyway; short words and stop words are no names.
        #expect(UnmentionedNames.candidates(in: "Where does my script find its arguments?", pieces: Self.pieces) == [])
        #expect(UnmentionedNames.candidates(in: "How do I write a goroutine in Go?", pieces: { _ in 1 }) == [])
        #expect(UnmentionedNames.candidates(in: "What did Brunel build in 1850?", pieces: Self.pieces) == ["Brunel"])
        #expect(UnmentionedNames.candidates(in: "Is nginx like nginx?", pieces: Self.pieces) == ["nginx"])
    }

    @Test("only the names the index finds nowhere are unmentioned, looked up in lower case")
    func find() {
        var looked: [String] = []
        let found = UnmentionedNames.find(in: "Which pandas function reads an Excel spreadsheet?", pieces: Self.pieces) { word in
            looked.append(word)
            return word == "excel"
        }
        #expect(found == ["pandas"])
        #expect(looked == ["pandas", "excel"])
    }
}
