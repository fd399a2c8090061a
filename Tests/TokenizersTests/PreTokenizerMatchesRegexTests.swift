import Testing
import Tokenizers

/// The hand-written pre-tokenizers split text exactly as the regular expressions they stand
/// for. Expected words were produced by Python's `regex` module with llama.cpp's patterns (for
/// `smollm`: `\p{N}` first, then the GPT-2 pattern inside each fragment, as llama.cpp applies
/// its list), not by this code.
struct PreTokenizerMatchesRegexTests {
    struct SplitCase: CustomTestStringConvertible, Sendable {
        let text: String
        let expected: [PreTokenizer: [String]]
        var testDescription: String { text.debugDescription }
    }

    static let cases: [SplitCase] = [
        SplitCase(text: "Hello world", expected: [
            .smollm: ["Hello", " world"],
            .gpt2: ["Hello", " world"],
            .llama3: ["Hello", " world"],
            .qwen2: ["Hello", " world"],
        ]),
        SplitCase(text: "  two leading spaces and   three inner spaces", expected: [
            .smollm: [" ", " two", " leading", " spaces", " and", "  ", " three", " inner", " spaces"],
            .gpt2: [" ", " two", " leading", " spaces", " and", "  ", " three", " inner", " spaces"],
            .llama3: [" ", " two", " leading", " spaces", " and", "  ", " three", " inner", " spaces"],
            .qwen2: [" ", " two", " leading", " spaces", " and", "  ", " three", " inner", " spaces"],
        ]),
        SplitCase(text: "\ttab\tseparated\tvalues\n", expected: [
            .smollm: ["\t", "tab", "\t", "separated", "\t", "values", "\n"],
            .gpt2: ["\t", "tab", "\t", "separated", "\t", "values", "\n"],
            .llama3: ["\ttab", "\tseparated", "\tvalues", "\n"],
            .qwen2: ["\ttab", "\tseparated", "\tvalues", "\n"],
        ]),
        SplitCase(text: "don't DON'T we'LL I'M they're", expected: [
            .smollm: ["don", "'t", " DON", "'", "T", " we", "'", "LL", " I", "'", "M", " they", "'re"],
            .gpt2: ["don", "'t", " DON", "'", "T", " we", "'", "LL", " I", "'", "M", " they", "'re"],
            .llama3: ["don", "'t", " DON", "'T", " we", "'LL", " I", "'M", " they", "'re"],
            .qwen2: ["don", "'t", " DON", "'T", " we", "'LL", " I", "'M", " they", "'re"],
        ]),
        SplitCase(text: "12345 and 1234567", expected: [
            .smollm: ["1", "2", "3", "4", "5", " and", " ", "1", "2", "3", "4", "5", "6", "7"],
            .gpt2: ["12345", " and", " 1234567"],
            .llama3: ["123", "45", " and", " ", "123", "456", "7"],
            .qwen2: ["1", "2", "3", "4", "5", " and", " ", "1", "2", "3", "4", "5", "6", "7"],
        ]),
        SplitCase(text: "x² + y² = z²", expected: [
            .smollm: ["x", "²", " +", " y", "²", " =", " z", "²"],
            .gpt2: ["x", "²", " +", " y", "²", " =", " z", "²"],
            .llama3: ["x", "²", " +", " y", "²", " =", " z", "²"],
            .qwen2: ["x", "²", " +", " y", "²", " =", " z", "²"],
        ]),
        SplitCase(text: "hello  \n  world", expected: [
            .smollm: ["hello", "  \n ", " world"],
            .gpt2: ["hello", "  \n ", " world"],
            .llama3: ["hello", "  \n", " ", " world"],
            .qwen2: ["hello", "  \n", " ", " world"],
        ]),
        SplitCase(text: "line1\r\n\r\nline2  ", expected: [
            .smollm: ["line", "1", "\r\n\r", "\n", "line", "2", "  "],
            .gpt2: ["line", "1", "\r\n\r", "\n", "line", "2", "  "],
            .llama3: ["line", "1", "\r\n\r\n", "line", "2", "  "],
            .qwen2: ["line", "1", "\r\n\r\n", "line", "2", "  "],
        ]),
        SplitCase(text: "Wait...!!! What?!?! ---- ok ;-)", expected: [
            .smollm: ["Wait", "...!!!", " What", "?!?!", " ----", " ok", " ;-)"],
            .gpt2: ["Wait", "...!!!", " What", "?!?!", " ----", " ok", " ;-)"],
            .llama3: ["Wait", "...!!!", " What", "?!?!", " ----", " ok", " ;-)"],
            .qwen2: ["Wait", "...!!!", " What", "?!?!", " ----", " ok", " ;-)"],
        ]),
        SplitCase(text: "café naïve 大语言模型 👋🌍 👨\u{200D}👩\u{200D}👧", expected: [
            .smollm: ["café", " naïve", " 大语言模型", " 👋🌍", " 👨\u{200D}👩\u{200D}👧"],
            .gpt2: ["café", " naïve", " 大语言模型", " 👋🌍", " 👨\u{200D}👩\u{200D}👧"],
            .llama3: ["café", " naïve", " 大语言模型", " 👋🌍", " 👨\u{200D}👩\u{200D}👧"],
            .qwen2: ["café", " naïve", " 大语言模型", " 👋🌍", " 👨\u{200D}👩\u{200D}👧"],
        ]),
        SplitCase(text: "a\n\n\n", expected: [
            .smollm: ["a", "\n\n\n"],
            .gpt2: ["a", "\n\n\n"],
            .llama3: ["a", "\n\n\n"],
            .qwen2: ["a", "\n\n\n"],
        ]),
        SplitCase(text: "  ", expected: [
            .smollm: ["  "],
            .gpt2: ["  "],
            .llama3: ["  "],
            .qwen2: ["  "],
        ]),
        SplitCase(text: "'s", expected: [
            .smollm: ["'s"],
            .gpt2: ["'s"],
            .llama3: ["'s"],
            .qwen2: ["'s"],
        ]),
        SplitCase(text: " 'll", expected: [
            .smollm: [" '", "ll"],
            .gpt2: [" '", "ll"],
            .llama3: [" '", "ll"],
            .qwen2: [" '", "ll"],
        ]),
        SplitCase(text: "3.14159", expected: [
            .smollm: ["3", ".", "1", "4", "1", "5", "9"],
            .gpt2: ["3", ".", "14159"],
            .llama3: ["3", ".", "141", "59"],
            .qwen2: ["3", ".", "1", "4", "1", "5", "9"],
        ]),
        SplitCase(text: "foo   ", expected: [
            .smollm: ["foo", "   "],
            .gpt2: ["foo", "   "],
            .llama3: ["foo", "   "],
            .qwen2: ["foo", "   "],
        ]),
        SplitCase(text: "\u{A0}nbsp\u{3000}ideo", expected: [
            .smollm: ["\u{A0}", "nbsp", "\u{3000}", "ideo"],
            .gpt2: ["\u{A0}", "nbsp", "\u{3000}", "ideo"],
            .llama3: ["\u{A0}nbsp", "\u{3000}ideo"],
            .qwen2: ["\u{A0}nbsp", "\u{3000}ideo"],
        ]),
        SplitCase(text: "$0 * 2 }", expected: [
            .smollm: ["$", "0", " *", " ", "2", " }"],
            .gpt2: ["$", "0", " *", " 2", " }"],
            .llama3: ["$", "0", " *", " ", "2", " }"],
            .qwen2: ["$", "0", " *", " ", "2", " }"],
        ]),
    ]

    static func words(_ text: String, _ pre: PreTokenizer) -> [String] {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            pre.split(buffer).map { String(decoding: buffer[$0], as: UTF8.self) }
        }
    }

    @Test("smollm, gpt2, llama3 and qwen2 split like their regexes", arguments: cases)
    func splits(_ c: SplitCase) {
        // qwen35 (qwen2 with marks as letters) is checked by llama.cpp's own vectors
        // (LlamaDecoderTests' TokenizersMatchLlamaCppVectorsTests).
        for pre in PreTokenizer.allCases where pre != .qwen35 {
            #expect(Self.words(c.text, pre) == c.expected[pre], "\(pre)")
        }
    }

    @Test("GGUF names and llama.cpp aliases map to the right pre-tokenizer")
    func names() {
        #expect(PreTokenizer(ggufName: "smollm") == .smollm)
        #expect(PreTokenizer(ggufName: "llama-bpe") == .llama3)
        #expect(PreTokenizer(ggufName: "qwen2") == .qwen2)
        #expect(PreTokenizer(ggufName: "qwen35") == .qwen35)
        #expect(PreTokenizer(ggufName: "gpt-2") == .gpt2)
        #expect(PreTokenizer(ggufName: "default") == nil)
    }
}
