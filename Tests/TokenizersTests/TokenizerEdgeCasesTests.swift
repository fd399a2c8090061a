import Testing
import Tokenizers

/// The behaviours the fixtures README calls out, checked on SmolLM2's vocabulary, plus special
/// tokens, end of generation and construction errors on a toy vocabulary.
struct TokenizerEdgeCasesTests {
    func pieces(_ text: String, parseSpecial: Bool = true) throws -> [String] {
        let tokenizer = try SmolLM2Vocabulary.tokenizer()
        return tokenizer.encode(text, parseSpecial: parseSpecial).map { tokenizer.token($0) ?? "?" }
    }

    @Test("digits are single tokens and a space before a number is its own Ġ")
    func digits() throws {
        #expect(try pieces("in 2024") == ["in", "Ġ", "2", "0", "2", "4"])
    }

    @Test("a run of spaces: all but the last form one token, the last attaches to the next word")
    func spaceRuns() throws {
        #expect(try pieces("a    b") == ["a", "ĠĠĠ", "Ġb"])
    }

    @Test("contractions split only in lower case")
    func contractions() throws {
        #expect(try pieces("don't") == ["don", "'t"])
        #expect(try pieces("DON'T").suffix(2) == ["'", "T"]) // not "'T": the rule is case-sensitive
    }

    @Test("<|im_end|> inside a word splits it without adding a space; unparsed it is plain text")
    func specialInsideWord() throws {
        let tokenizer = try SmolLM2Vocabulary.tokenizer()
        let ids = tokenizer.encode("abc<|im_end|>def", parseSpecial: true)
        #expect(ids.contains(2) && ids.first != 2)
        #expect(tokenizer.decode(ids) == "abc<|im_end|>def")
        #expect(tokenizer.encode("<|im_start|>", parseSpecial: false).count == 7)
        #expect(tokenizer.encode("<|im_start|>", parseSpecial: true) == [1])
        #expect(tokenizer.encode("", parseSpecial: true).isEmpty)
    }

    @Test("end of generation: <|im_end|> and <|endoftext|>; eot found by its text")
    func endOfGeneration() throws {
        let tokenizer = try SmolLM2Vocabulary.tokenizer()
        #expect(tokenizer.endOfGenerationIDs == [0, 2])
        #expect(tokenizer.eosID == 2 && tokenizer.bosID == 1 && tokenizer.eotID == 2)
        #expect(tokenizer.isEndOfGeneration(2) && !tokenizer.isEndOfGeneration(1))
        #expect(tokenizer.decode([1, 19556, 2], skipSpecial: true) == "Hello")
        #expect(tokenizer.id(of: "Ġworld") == 905)
        #expect(tokenizer.encode("Hello", parseSpecial: true, addSpecial: true) == [19556]) // add_bos is false
    }

    /// A toy vocabulary: the 256 byte tokens, "ab", "abc", and specials.
    func toy(pre: String = "gpt2", merges: [String] = ["a b", "ab c"]) throws -> ByteLevelBPETokenizer {
        var tokens = (0 ..< 256).map { String(ByteEncoding.scalarForByte[$0]) }
        tokens += ["ab", "abc", "<s>", "<s>x", "[USER]"]
        var types = [Int32](repeating: 1, count: 258)
        types += [3, 3, 4]
        return try ByteLevelBPETokenizer(tokens: tokens, tokenTypes: types, merges: merges, preTokenizer: pre, bosID: 258, addBOS: true)
    }

    @Test("merges apply by rank; specials match longest first; user-defined tokens match even unparsed")
    func toyVocabulary() throws {
        let t = try toy()
        #expect(t.encode("abc", parseSpecial: false) == [257])
        #expect(t.encode("abd", parseSpecial: false) == [256, Int32(UInt8(ascii: "d"))])
        #expect(t.encode("<s>xab", parseSpecial: true) == [259, 256])
        #expect(t.encode("[USER]", parseSpecial: false) == [260])
        #expect(t.encode("ab", parseSpecial: true, addSpecial: true) == [258, 256])
    }

    @Test("a byte with no token of its own becomes the unknown token (llama.cpp would throw)")
    func missingByteToken() throws {
        let t = try ByteLevelBPETokenizer(tokens: ["a", "<unk>"], tokenTypes: [1, 2], merges: [], preTokenizer: "gpt2", unknownID: 1)
        #expect(t.encode("ab", parseSpecial: false) == [0, 1])
        #expect(t.encode("b", parseSpecial: false) == [1])
    }

    @Test("bad vocabularies are refused naming the source and the problem")
    func errors() throws {
        #expect(throws: TokenizerError.unsupportedPreTokenizer(file: "<vocabulary>", found: "default", supported: PreTokenizer.supportedNames)) {
            _ = try toy(pre: "default")
        }
        let error = try #require(throws: TokenizerError.self) { _ = try toy(merges: ["ab"]) }
        #expect(error.description.contains("merge rule 0"))
        #expect(throws: TokenizerError.self) {
            _ = try ByteLevelBPETokenizer(tokens: ["a", "b"], tokenTypes: [1, 1], merges: [], preTokenizer: "gpt2", bosID: 5)
        }
        #expect(throws: TokenizerError.self) {
            _ = try ByteLevelBPETokenizer(tokens: ["a"], tokenTypes: [1, 1], merges: [], preTokenizer: "gpt2")
        }
    }
}
