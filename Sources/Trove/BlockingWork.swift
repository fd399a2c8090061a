import Dispatch

/// Runs CPU-bound or blocking work (encoding, search, SQLite, generation) on a Dispatch thread and
/// awaits it, so Swift concurrency's few cooperative threads stay free for reading and writing
/// requests while a search or a generation runs. Used by `trove serve` and `trove mcp`.
public enum BlockingWork {
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
