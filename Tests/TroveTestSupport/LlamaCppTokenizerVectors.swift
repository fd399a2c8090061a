import Foundation

/// llama.cpp's tokenizer test vectors (`models/ggml-vocab-NAME.gguf` with `.inp`/`.out`), read
/// as tests/test-tokenizer-0.cpp reads them: inputs separated by `\n__ggml_vocab_test__\n`, one
/// line of space-separated expected ids per input; each input tokenized without BOS and with
/// special tokens not parsed.
public enum LlamaCppTokenizerVectors {
    /// The vocabularies Trove supports, with what their GGUF says (model / pre).
    public static let supported = [
        "llama-spm",   // llama / default: Llama 2, Mistral, TinyLlama
        "phi-3",       // llama / default: Phi-3, Phi-3.5
        "gemma-4",     // gemma4: SentencePiece spelling, merges by rank
        "llama-bpe",   // gpt2 / llama-bpe: Llama 3.x
        "qwen2",       // gpt2 / qwen2: Qwen2.5, Qwen3
        "qwen35",      // gpt2 / qwen35: Qwen3.5
        "gpt-2",       // gpt2 / gpt-2
        "starcoder",   // gpt2 / starcoder: SmolLM2's pattern
        "refact",      // gpt2 / refact: SmolLM2's pattern
        "command-r",   // gpt2 / command-r: SmolLM2's pattern
        "mpt",         // gpt2 / mpt: GPT-2's pattern
    ]

    /// One input of one vocabulary.
    public struct Case: Sendable, CustomStringConvertible {
        public let vocabulary: String
        public let index: Int
        public let text: String
        public let ids: [Int32]
        public var description: String { "\(vocabulary) #\(index) \(String(reflecting: String(text.prefix(40))))" }
    }

    /// `ggml-vocab-NAME.gguf` plus `suffix` in the vectors folder.
    public static func file(_ name: String, _ suffix: String = "") -> URL {
        Fixtures.tokenizerVectorsFolder.appendingPathComponent("ggml-vocab-\(name).gguf\(suffix)")
    }

    /// The cases of one vocabulary, throwing naming the missing or malformed file.
    public static func cases(_ name: String) throws -> [Case] {
        let input = try Fixtures.required(file(name, ".inp"))
        let output = String(decoding: try Fixtures.required(file(name, ".out")), as: UTF8.self)
        let separator = Array("\n__ggml_vocab_test__\n".utf8)
        var texts: [String] = []
        let bytes = [UInt8](input)
        var start = 0
        while start < bytes.count {
            var next = start
            while next + separator.count <= bytes.count, !bytes[next ..< next + separator.count].elementsEqual(separator) { next += 1 }
            if next + separator.count > bytes.count { next = bytes.count }
            texts.append(String(decoding: bytes[start ..< next], as: UTF8.self))
            start = next + separator.count
        }
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard lines.count == texts.count else {
            throw MissingFile(path: "\(file(name, ".out").path) (\(lines.count) lines for \(texts.count) inputs)")
        }
        return try zip(texts, lines).enumerated().map { index, pair in
            let ids = try pair.1.split(separator: " ").map { word -> Int32 in
                guard let id = Int32(word) else { throw MissingFile(path: "\(file(name, ".out").path) line \(index + 1): '\(word)' is not an id") }
                return id
            }
            return Case(vocabulary: name, index: index, text: pair.0, ids: ids)
        }
    }

    /// Every case of every supported vocabulary; empty for a missing file, which
    /// `vectorsArePresent` then reports as a failure.
    public static let allCases: [Case] = supported.flatMap { (try? cases($0)) ?? [] }
}
