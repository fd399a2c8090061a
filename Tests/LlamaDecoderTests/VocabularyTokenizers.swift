import Foundation
import LlamaDecoder
import ModelFiles
import Tokenizers
import TroveTestSupport

/// The vocabularies of llama.cpp's test vectors, each loaded once by the decoder's own loader.
///
/// A load (up to a second or two for the 262k-token vocabularies) runs on a Dispatch thread and
/// the cases that need it await it: blocking Swift Testing's cooperative threads (one per core)
/// with a lock held through the loads stalled the async server tests running beside them.
enum VocabularyTokenizers {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var loads: [String: Task<any DecoderTokenizer, Error>] = [:]

    /// The tokenizer of `ggml-vocab-NAME.gguf`, or the error naming the missing file.
    static func tokenizer(_ name: String) async throws -> any DecoderTokenizer {
        let load = lock.withLock { () -> Task<any DecoderTokenizer, Error> in
            if let started = loads[name] { return started }
            let task = Task { try await loadOffThePool(name) }
            loads[name] = task
            return task
        }
        return try await load.value
    }

    private static func loadOffThePool(_ name: String) async throws -> any DecoderTokenizer {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    let url = LlamaCppTokenizerVectors.file(name)
                    try Fixtures.required(url)
                    return try loadDecoderTokenizer(GGUFFile(url: url))
                })
            }
        }
    }
}
