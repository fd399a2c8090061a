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
            if depth == 0 { BLASGate.setThreads(1) }
            depth += 1
        }
    }

    static func leave() {
        lock.withLock {
            depth -= 1
            if depth == 0 { BLASGate.setThreads(Threads.count) }
        }
    }

    /// ``Threads/configure(count:)`` changed the count: OpenBLAS takes it now, or when the last
    /// open scope ends (a scope's calls must stay single-threaded to its end).
    static func threadCountChanged() {
        lock.withLock {
            if depth == 0 { BLASGate.setThreads(Threads.count) }
        }
    }
}

/// OpenBLAS's thread count changes only while no BLAS call is in flight.
///
/// Why: `openblas_set_num_threads` resizes the thread pool and the buffers that a running sgemm
/// on another thread may be using, and OpenBLAS does not guard against that (its own issues
/// report crashes). A batch search's multi-threaded sgemm (``FlatL2Index``) can be running when an
/// encoder's single-threaded scope begins or ends on another thread, and tests change the count
/// while other suites compute. Every BLAS call holds this gate
/// shared (calls still run concurrently, from any number of threads); a change of the count holds
/// it exclusively, waiting for the calls in flight to end.
enum BLASGate {
    private static let lock: UnsafeMutablePointer<pthread_rwlock_t> = {
        let lock = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)
        pthread_rwlock_init(lock, nil)
        return lock
    }()

    static func call<R>(_ body: () throws -> R) rethrows -> R {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }

    static func setThreads(_ count: Int) {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        openblas_set_num_threads(Int32(count))
    }
}

/// The OpenBLAS kernel set in force (`openblas_get_corename`: "SkylakeX", "Cooperlake", "Haswell",
/// …), chosen when the library loaded (from the CPU, or `OPENBLAS_CORETYPE`). Benchmarks print it.
public var openBLASCoreName: String {
    guard let name = openblas_get_corename() else { return "unknown" }
    return String(cString: name)
}
