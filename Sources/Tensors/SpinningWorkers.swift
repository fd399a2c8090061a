import Foundation
import Synchronization

/// A persistent pool of worker threads for the decoder's many small jobs (a one-token step is
/// ~200 jobs of 10–100 µs each; waking a thread through the kernel for each, as
/// `DispatchQueue.concurrentPerform` does, would cost as much as the job).
///
/// A job `0..<count` is cut into a few more pieces than there are threads, and every thread,
/// the caller included, claims pieces from one atomic ticket until none is left. Each index is
/// still computed wholly by one thread with the same code, so results do not depend on the
/// thread count or on who ran which piece; but a worker that the kernel has descheduled (the
/// machine is shared) no longer holds the job up: the others take its pieces.
///
/// Waiting is bounded: a worker spins about ``spinMicroseconds`` for the next job, then sleeps on
/// a condition variable; the caller spins as long for pieces still running, then sleeps until the
/// last one ends. So idle threads cost nothing.
///
/// When the machine is busy, a second thread can cost more than it brings: the kernel shares the
/// cores among threads, so a worker that is seldom running takes pieces late or not at all, while
/// the caller, now one of more threads, gets less of a core than it would alone. So the pool
/// counts who ran the pieces over each ``window`` of jobs; when the workers ran less than a
/// quarter of them, the next ``firstInlineJobs`` jobs run on the caller alone (the workers sleep),
/// twice as many after each such window in a row, up to ``maximumInlineJobs``. Under competing
/// load the pool falls back to one thread, and it tries again, so it returns when the cores are free.
///
/// One job runs at a time: a second caller (another thread, or a nested call) finds the pool busy
/// and runs its whole range inline, which gives the same result.
public final class SpinningWorkers: @unchecked Sendable {
    /// The process-wide pool; workers start on first use.
    public static let shared = SpinningWorkers()

    /// How long a thread busy-waits before it sleeps: long enough to span the gap between two
    /// jobs of one decode step, short enough that a loaded machine loses little to it.
    static let spinMicroseconds: UInt64 = 50

    /// Pieces per thread. One is enough for a late worker not to hold a job up (the caller takes
    /// its piece when it has not started); 4 measured the same within noise on a 2-core Zen 5,
    /// at more atomics on a line both cores write.
    static let piecesPerThread = 1

    /// Jobs counted together when deciding whether the workers help.
    static let window = 256
    /// Jobs run inline after a window in which the workers ran under a quarter of the pieces
    /// (a few decode steps of a small model), doubling with each such window in a row.
    static let firstInlineJobs = 512
    static let maximumInlineJobs = 65536

    /// The job's generation (high 32 bits), piece count (16 bits) and next piece (low 16 bits),
    /// so that one atomic add both claims a piece and tells which job it belongs to.
    private let ticket = Atomic<Int>(0)
    /// Pieces of the current job not yet finished.
    private let unfinished = Atomic<Int>(0)
    private let wake = NSCondition()
    private let finished = NSCondition()
    private let submission = NSLock()
    private var workers = 0
    private var generation = 0
    // The current job. Written by the submitter before the ticket is published and not changed
    // until every piece has finished; a worker reads them only while it holds a claimed piece.
    private var count = 0
    private var pieces = 1
    private var job: ((Range<Int>) -> Void)?
    // The fallback to one thread; read and written under `submission` only.
    private var inlineJobsLeft = 0
    private var inlineJobs = 0
    private var windowJobs = 0, windowPieces = 0, windowHelped = 0

    private init() {}

    /// Runs `body` over `0..<count`, split into contiguous ranges of at least `minimumPerThread`
    /// indices, and returns when all ranges are done.
    public func parallelFor(_ count: Int, minimumPerThread: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let threads = min(Threads.count, max(1, count / max(1, minimumPerThread)))
        if threads <= 1 || !submission.try() {
            body(0 ..< count)
            return
        }
        defer { submission.unlock() }
        if inlineJobsLeft > 0 {
            inlineJobsLeft -= 1
            body(0 ..< count)
            return
        }
        ensureWorkers(threads - 1)
        let pieces = min(0xFFFF, threads * Self.piecesPerThread, max(threads, count / max(1, minimumPerThread)))
        withoutActuallyEscaping(body) { escapable in
            self.job = escapable
            self.count = count
            self.pieces = pieces
            generation = (generation + 1) & 0x7FFF_FFFF
            unfinished.store(pieces, ordering: .relaxed)
            ticket.store(generation << 32 | pieces << 16, ordering: .releasing)
            wake.lock()
            wake.broadcast()
            wake.unlock()
            let own = runPieces()
            waitUntilFinished()
            self.job = nil
            tally(pieces: pieces, helped: pieces - own)
        }
    }

    /// Adds a job to the window; at its end, decides whether the next jobs run inline.
    private func tally(pieces: Int, helped: Int) {
        windowJobs += 1
        windowPieces += pieces
        windowHelped += helped
        guard windowJobs == Self.window else { return }
        inlineJobs = Self.inlineJobs(after: inlineJobs, helped: windowHelped, of: windowPieces)
        inlineJobsLeft = inlineJobs
        windowJobs = 0; windowPieces = 0; windowHelped = 0
    }

    /// The jobs to run inline after a window in which the workers ran `helped` of `pieces`, when the
    /// window before ended with `previous`: none if they ran a quarter or more, else twice `previous`
    /// (at least ``firstInlineJobs``, at most ``maximumInlineJobs``).
    static func inlineJobs(after previous: Int, helped: Int, of pieces: Int) -> Int {
        4 * helped >= pieces ? 0 : min(maximumInlineJobs, max(firstInlineJobs, previous * 2))
    }

    /// Claims and runs pieces of the current job until none is left; returns how many it ran.
    @discardableResult
    private func runPieces() -> Int {
        var ran = 0
        while true {
            let claimed = ticket.wrappingAdd(1, ordering: .acquiring).oldValue
            let total = (claimed >> 16) & 0xFFFF, piece = claimed & 0xFFFF
            guard piece < total else { return ran }
            ran += 1
            run(piece: piece, of: total)
            if unfinished.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
                finished.lock()
                finished.broadcast()
                finished.unlock()
            }
        }
    }

    /// Runs one claimed piece. A function of its own so that the reference to the job's closure
    /// is released before the piece is counted as finished: once the last piece is counted, the
    /// submitter's non-escaping closure must have no other owner.
    @inline(never)
    private func run(piece: Int, of total: Int) {
        guard let body = job else { return }
        let start = count * piece / total, end = count * (piece + 1) / total
        if start < end { body(start ..< end) }
    }

    private func waitUntilFinished() {
        let deadline = Self.now() + Self.spinMicroseconds * 1000
        while unfinished.load(ordering: .acquiring) != 0 {
            if Self.now() > deadline {
                finished.lock()
                while unfinished.load(ordering: .acquiring) != 0 { finished.wait() }
                finished.unlock()
                return
            }
        }
    }

    private func ensureWorkers(_ needed: Int) {
        while workers < needed {
            workers += 1
            // The generation is read here, not in the new thread: a thread that starts late
            // must still take part in the job submitted right after this call.
            let seen = generation
            let thread = Thread { [unowned self] in self.workerLoop(seen: seen) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    private func workerLoop(seen initial: Int) {
        var seen = initial
        while true {
            let deadline = Self.now() + Self.spinMicroseconds * 1000
            while ticket.load(ordering: .acquiring) >> 32 == seen {
                if Self.now() > deadline {
                    wake.lock()
                    while ticket.load(ordering: .acquiring) >> 32 == seen { wake.wait() }
                    wake.unlock()
                }
            }
            seen = ticket.load(ordering: .acquiring) >> 32
            runPieces()
        }
    }

    @inline(__always)
    private static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}
