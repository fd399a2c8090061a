import Foundation
import Ingest

/// A deterministic encoder for pipeline tests: a hashed bag of words, L2-normalised.
///
/// Each lower-cased word adds 1 to component `fnv1a(word) % dimension`; texts sharing words get
/// close vectors, which is all the pipeline tests need. `failAfterTexts` simulates an interrupted
/// ingest: once that many texts have been embedded, every further call throws.
final class FakeChunkEncoder: ChunkEncoder, @unchecked Sendable {
    let identity: String
    let dimension: Int
    let maxTokens = 64
    private let failAfterTexts: Int?
    private let lock = NSLock()
    private var embedded = 0
    /// Number of `embed` calls and texts, for batching checks.
    private(set) var calls = 0
    /// Every text embedded, in order.
    private(set) var texts: [String] = []

    struct Interrupted: Error, CustomStringConvertible {
        var description: String { "fake encoder interrupted" }
    }

    init(identity: String = "fake-bag-of-words", dimension: Int = 16, failAfterTexts: Int? = nil) {
        self.identity = identity
        self.dimension = dimension
        self.failAfterTexts = failAfterTexts
    }

    var textsEmbedded: Int { lock.lock(); defer { lock.unlock() }; return embedded }

    func wordPieceCount(_ text: Substring) -> Int { FakeWordPieceCounter.count(text) }

    func embed(_ texts: [String]) throws -> [[Float]] {
        lock.lock()
        defer { lock.unlock() }
        if let limit = failAfterTexts, embedded + texts.count > limit { throw Interrupted() }
        embedded += texts.count
        calls += 1
        self.texts += texts
        return texts.map(vector)
    }

    private func vector(_ text: String) -> [Float] {
        var values = [Float](repeating: 0, count: dimension)
        for word in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
            var hash: UInt32 = 2_166_136_261  // FNV-1a
            for byte in word.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
            values[Int(hash % UInt32(dimension))] += 1
        }
        let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? values.map { $0 / norm } : values
    }
}
