import Foundation
import Testing
import TroveTestSupport

/// `trove tokenize --json --no-parse-special --model FILE TEXT` works on llama.cpp's
/// vocabulary-only GGUF files (no tensors: only the vocabulary is read) and gives llama.cpp's ids.
/// Serialized: each run blocks its thread until the process ends.
@Suite(.serialized) struct TokenizeCommandReadsVocabularyFilesTests {
    /// Two SentencePiece and two byte-level BPE vocabularies, two of their cases each.
    static let cases = ["llama-spm", "phi-3", "llama-bpe", "qwen2"].flatMap { name in
        LlamaCppTokenizerVectors.allCases.filter { $0.vocabulary == name && [9, 33].contains($0.index) }
    }

    @Test("the binary's ids equal llama.cpp's test vectors", arguments: cases)
    func binaryMatchesVectors(_ test: LlamaCppTokenizerVectors.Case) throws {
        let file = LlamaCppTokenizerVectors.file(test.vocabulary).path
        let run = try TroveBinary.run(["tokenize", "--json", "--no-parse-special", "--model", file, test.text])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try TroveBinary.object(run.stdout)
        #expect((object["ids"] as? [Int])?.map(Int32.init) == test.ids)
        #expect((object["pieces"] as? [String])?.count == test.ids.count)
    }

    @Test("the vectors this test uses are present")
    func casesArePresent() throws {
        for name in ["llama-spm", "phi-3", "llama-bpe", "qwen2"] {
            #expect(try LlamaCppTokenizerVectors.cases(name).count > 33)
        }
    }

    @Test("a vocabulary Trove cannot read is refused naming the file and the value", arguments: [
        ("bert-bge", "tokenizer model 'bert'"), ("deepseek-llm", "pre-tokenizer 'deepseek-llm'"),
    ])
    func refusesUnsupported(_ name: String, _ message: String) throws {
        let file = LlamaCppTokenizerVectors.file(name).path
        try Fixtures.required(URL(fileURLWithPath: file))
        let run = try TroveBinary.run(["tokenize", "--json", "--no-parse-special", "--model", file, "Hello"])
        #expect(run.status == 1)
        #expect(run.stderr.contains(file) && run.stderr.contains(message), "\(run.stderr)")
    }
}
