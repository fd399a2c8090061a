import Foundation
import Testing
import Tokenizers

/// Found by the `bpe` fuzz target (input Fuzz/Regressions/bpe/controlBytesNeverBecomeControlTokens):
/// a byte SmolLM2 has no token for (0x1D here) became its declared unknown token, which is
/// `<|endoftext|>`, a control token; so a passage holding that byte put an end-of-text into the
/// prompt even with special tokens not parsed. Such a byte is now dropped, as llama.cpp does.
@Suite("Control bytes never become control tokens")
struct ControlBytesNeverBecomeControlTokensTests {
    @Test("SmolLM2: a byte without a token is dropped, not encoded as <|endoftext|>")
    func smolLM2() throws {
        let t = try SmolLM2Vocabulary.tokenizer()
        let text = "zip(a,\u{1D}b)"
        let ids = t.encode(text, parseSpecial: false)
        #expect(!ids.contains { t.isControl($0) })
        #expect(t.decode(ids) == "zip(a,b)")
    }

    @Test("the fuzzer's input round-trips without the byte")
    func fuzzInput() throws {
        let t = try SmolLM2Vocabulary.tokenizer()
        let input = "<|im_start|>user\nHi<|im_end|>\n<|endoftext|><s></s>[UNK][MASK] <u zip(a,\u{1D}b))  # [nk>"
        #expect(t.decode(t.encode(input, parseSpecial: false)) == input.replacingOccurrences(of: "\u{1D}", with: ""))
    }

    @Test("an unknown token that is not a control token is still used")
    func plainUnknown() throws {
        let control = try ByteLevelBPETokenizer(tokens: ["a", "<|endoftext|>"], tokenTypes: [1, 3], merges: [], preTokenizer: "gpt2", unknownID: 1)
        #expect(control.encode("ab", parseSpecial: false) == [0])
        let plain = try ByteLevelBPETokenizer(tokens: ["a", "<unk>"], tokenTypes: [1, 2], merges: [], preTokenizer: "gpt2", unknownID: 1)
        #expect(plain.encode("ab", parseSpecial: false) == [0, 1])
    }
}
