import Foundation
import Synchronization

/// A persistent pool of worker threads that spin briefly between jobs: the decoder's
/// parallel-for for one-token steps, where a job is 10–100 µs of work and waking a thread through
/// the kernel (as `DispatchQueue.concurrentPerform` does) would cost as much as the job.
///
/// The split is the same as ``parallelFor(_:minimumPerThread:_:)``: at most ``Threads/count``
/// contiguous ranges, each computed wholly by one thread, so results do not depend on the count.
/// After a short spin a worker sleeps on a condition variable (the machine may be shared).
/// One job runs at a time: a second caller (another thread, or a nested call) finds the pool
/// busy and runs its whole range inline, which gives the same result because no result
/// depends on the split.
public final class SpinningWorkers: @unchecked Sendable {
    /// The process-wide pool; workers start on first use.
    public static let shared = SpinningWorkers()

    private let generation = Atomic<Int>(0)
    private let pending = Atomic<Int>(0)
    private let condition = NSCondition()
    private let submission = NSLock()
    private var workers = 0
    private var parts = 1
    private var count = 0
    private var job: ((Range<Int>) -> Void)?

    private init() {}

    /// Runs `body` over `0..<count` split into contiguous ranges, one per thread, and returns
    /// when all ranges are done.
    public func parallelFor(_ count: Int, minimumPerThread: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let threads = min(Threads.count, max(1, count / max(1, minimumPerThread)))
        if threads <= 1 || !submission.try() {
            body(0 ..< count)
            return
        }
        defer { submission.unlock() }
        ensureWorkers(threads - 1)
        withoutActuallyEscaping(body) { escapable in
            self.job = escapable
            self.parts = threads
            self.count = count
            pending.store(workers, ordering: .relaxed)
            condition.lock()
            generation.add(1, ordering: .releasing)
            condition.broadcast()
            condition.unlock()
            body(0 ..< count / threads)
            var spins = 0
            while pending.load(ordering: .acquiring) != 0 {
                spins += 1
                if spins > 2_000 { sched_yield() }
            }
            self.job = nil
        }
    }

    private func ensureWorkers(_ needed: Int) {
        while workers < needed {
            workers += 1
            let index = workers
            // The generation is read here, not in the new thread: a thread that starts late
            // must still see the job submitted right after this call.
            let seen = generation.load(ordering: .acquiring)
            let thread = Thread { [unowned self] in self.workerLoop(index: index, seen: seen) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    private func workerLoop(index: Int, seen initial: Int) {
        var seen = initial
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                // Spin, then yield the core (the machine may be oversubscribed), then sleep.
                if spins > 2_000 { sched_yield() }
                if spins > 4_000 {
                    condition.lock()
                    while generation.load(ordering: .acquiring) == seen { condition.wait() }
                    condition.unlock()
                }
            }
            seen += 1
            runPart(index)
            pending.subtract(1, ordering: .releasing)
        }
    }

    /// Runs part `index` of the current job, if the job has that many parts; the closure
    /// reference is dropped before returning (so the submitter's non-escaping body is released).
    private func runPart(_ index: Int) {
        guard index < parts, let body = job else { return }
        let start = count * index / parts, end = count * (index + 1) / parts
        if start < end { body(start ..< end) }
    }
}
