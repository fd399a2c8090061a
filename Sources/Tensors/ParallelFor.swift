import Dispatch

/// Runs `body(i)` for every i in `0..<count`, split into at most ``Threads/count`` contiguous
/// ranges that run at once. Each range is handed to one call of `body`, so per-range setup
/// (scratch buffers) is paid once per thread, not once per item.
///
/// Results must not depend on the split: each index is computed wholly by one thread, and no
/// reduction crosses ranges (this is what makes output identical on 1 and 2 threads).
@inlinable
public func parallelFor(_ count: Int, minimumPerThread: Int = 1, _ body: (Range<Int>) -> Void) {
    guard count > 0 else { return }
    let threads = min(Threads.count, max(1, count / max(1, minimumPerThread)))
    if threads <= 1 {
        body(0..<count)
        return
    }
    DispatchQueue.concurrentPerform(iterations: threads) { t in
        let start = count * t / threads
        let end = count * (t + 1) / threads
        if start < end { body(start..<end) }
    }
}
