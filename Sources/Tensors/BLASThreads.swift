import CBLAS
import Foundation

/// Runs `body` with OpenBLAS limited to one thread, then restores ``Threads/count``.
///
/// For phases that call many small sgemms from several threads at once (attention per
/// sequence and head, split with ``parallelFor(_:minimumPerThread:_:)``): each call must stay on
/// its caller's thread, or OpenBLAS's own pool would oversubscribe the cores. Also where results
/// must not depend on the thread count (OpenBLAS's threaded sgemm rounds differently with it).
/// Scopes nest: the thread count is restored only when the outermost one ends. The setting is
/// process-wide.
public func withSingleThreadedBLAS<R>(_ body: () throws -> R) rethrows -> R {
    SingleThreadedBLASScope.enter()
    defer { SingleThreadedBLASScope.leave() }
    return try body()
}

/// How many single-threaded scopes are open.
enum SingleThreadedBLASScope {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var depth = 0

    static func enter() {
        lock.withLock {
            if depth == 0 { openblas_set_num_threads(1) }
            depth += 1
        }
    }

    static func leave() {
        lock.withLock {
            depth -= 1
            if depth == 0 { openblas_set_num_threads(Int32(Threads.count)) }
        }
    }
}
