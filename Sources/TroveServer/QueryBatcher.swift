import Trove
/// Embeds the queries of concurrent searches together: while one encoder pass runs, the queries
/// that arrive wait, and the next pass embeds all of them at once.
///
/// Why: embedding one short query reads all 42 MB of the encoder's layer weights (and OpenBLAS
/// repacks them per call), so under load the weights, not the arithmetic, bound throughput. One
/// pass over 16 queries reads them once. A lone query is embedded alone, as soon as it comes,
/// so it gets exactly the vector `trove search` computes; in a batch a vector can differ from
/// that in the last bit of a float (the products round differently), never more.
actor QueryBatcher {
    /// Most queries embedded in one pass (bounds the wait of the first in a long line).
    let maximumBatch = 64
    private let embed: @Sendable ([String]) throws -> [[Float]]
    private var pending: [(query: String, continuation: CheckedContinuation<[Float], Error>)] = []
    private var draining = false

    init(embed: @escaping @Sendable ([String]) throws -> [[Float]]) {
        self.embed = embed
    }

    /// The query's embedding, computed in the next encoder pass.
    func vector(for query: String) async throws -> [Float] {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((query, continuation))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    /// Runs passes until no query waits; the actor is free while a pass runs, so queries pile up.
    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(maximumBatch))
            pending.removeFirst(batch.count)
            let queries = batch.map(\.query), embed = self.embed
            do {
                let vectors = try await BlockingWork.run { try embed(queries) }
                for (waiting, vector) in zip(batch, vectors) { waiting.continuation.resume(returning: vector) }
            } catch {
                for waiting in batch { waiting.continuation.resume(throwing: error) }
            }
        }
        draining = false
    }
}
