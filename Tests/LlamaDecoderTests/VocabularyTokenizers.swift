import Foundation
import LlamaDecoder
import ModelFiles
import Tokenizers
import TroveTestSupport

/// The vocabularies of llama.cpp's test vectors, each loaded once by the decoder's own loader.
enum VocabularyTokenizers {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var tokenizers: [String: Result<any DecoderTokenizer, Error>] = [:]

    /// The tokenizer of `ggml-vocab-NAME.gguf`, or the error naming the missing file.
    static func tokenizer(_ name: String) throws -> any DecoderTokenizer {
        lock.lock(); defer { lock.unlock() }
        if let loaded = tokenizers[name] { return try loaded.get() }
        let url = LlamaCppTokenizerVectors.file(name)
        let loaded = Result { () throws -> any DecoderTokenizer in
            try Fixtures.required(url)
            return try loadDecoderTokenizer(GGUFFile(url: url))
        }
        tokenizers[name] = loaded
        return try loaded.get()
    }
}
