import CBLAS
import Foundation

/// How many threads numeric work may use: `TROVE_THREADS` if set, else every core.
///
/// Set once at start-up with ``Threads.configure(count:)``; it also sets OpenBLAS's own pool,
/// so sgemm and the hand-written kernels agree on one number.
public enum Threads {
    nonisolated(unsafe) private static var configured: Int? = nil

    /// The thread count in force.
    public static var count: Int {
        if let configured { return configured }
        if let text = ProcessInfo.processInfo.environment["TROVE_THREADS"], let n = Int(text), n > 0 { return n }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Fixes the thread count for this process (hand-written kernels and OpenBLAS).
    public static func configure(count: Int) {
        let n = max(1, count)
        configured = n
        openblas_set_num_threads(Int32(n))
    }
}
