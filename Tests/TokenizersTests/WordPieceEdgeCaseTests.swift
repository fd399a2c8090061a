import Foundation
import Testing
import TroveTestSupport
@testable import Tokenizers

@Suite("WordPiece edge cases") struct WordPieceEdgeCaseTests {
    let tokenizer: WordPieceTokenizer
    init() throws { tokenizer = try WordPieceMatchesReferenceTests.tokenizer() }

    func pieces(_ text: String) -> [String] { tokenizer.pieces(tokenizer.encode(text, maxLength: 256)) }

    @Test("empty text and only whitespace give [CLS] [SEP]")
    func empty() {
        #expect(pieces("") == ["[CLS]", "[SEP]"])
        #expect(pieces(" \t\n\r\u{3000}\u{00A0} ") == ["[CLS]", "[SEP]"])
        #expect(tokenizer.pieceCount(""[...]) == 0)
    }

    @Test("accents are stripped and case folded")
    func accents() {
        #expect(pieces("Café ÉCOLE") == ["[CLS]", "cafe", "ecole", "[SEP]"])
    }

    @Test("each CJK ideograph is a word of its own")
    func cjk() {
        #expect(BasicTokenizer.words("中文abc字") == ["中", "文", "abc", "字"])
    }

    @Test("control characters are removed without splitting; punctuation splits")
    func controls() {
        #expect(BasicTokenizer.words("ab\u{0}c\u{7}d\u{200B}e x,y") == ["abcde", "x", ",", "y"])
    }

    @Test("emoji that are not in the vocabulary become [UNK]")
    func emoji() {
        #expect(pieces("🦜🦜") == ["[CLS]", "[UNK]", "[SEP]"])
    }

    @Test("a word over 100 characters is one [UNK]; one of 100 is split")
    func longWord() {
        #expect(pieces(String(repeating: "a", count: 101)) == ["[CLS]", "[UNK]", "[SEP]"])
        #expect(pieces(String(repeating: "a", count: 100)).count > 3)
    }

    @Test("a long text is cut to exactly 256 ids ending in [SEP]")
    func truncation() {
        let text = String(repeating: "retrieval ", count: 400)
        let ids = tokenizer.encode(text, maxLength: 256)
        #expect(ids.count == 256)
        #expect(ids.first == tokenizer.classifierID && ids.last == tokenizer.separatorID)
        #expect(tokenizer.pieceCount(text[...]) == 400 * tokenizer.pieceIDs("retrieval").count)
    }

    @Test("a vocabulary without [UNK] is refused naming the file")
    func missingSpecial() throws {
        let vocabulary = try WordPieceVocabulary(pieces: ["[CLS]", "[SEP]", "[PAD]", "a"], file: "v.txt")
        #expect(throws: TokenizerError.missingToken(file: "v.txt", token: "[UNK]")) {
            try WordPieceTokenizer(vocabulary: vocabulary, file: "v.txt")
        }
    }
}
