import CBLAS

/// Runs `body` with OpenBLAS limited to one thread, then restores ``Threads/count``.
///
/// For phases that call many small sgemms from several threads at once (attention per
/// sequence and head, split with ``parallelFor(_:minimumPerThread:_:)``): each call must stay on
/// its caller's thread, or OpenBLAS's own pool would oversubscribe the cores. The setting is
/// process-wide; callers run one such phase at a time.
public func withSingleThreadedBLAS<R>(_ body: () throws -> R) rethrows -> R {
    openblas_set_num_threads(1)
    defer { openblas_set_num_threads(Int32(Threads.count)) }
    return try body()
}
