/// A line for work that must not all run at once: at most `slots` run, the rest are served in
/// the order they arrived (first come, first served: no request is overtaken).
///
/// The server keeps two: generations (`/v1/ask`, `/v1/chat/completions`), one at a time by
/// default, because the decoder already spreads each token over every core (a second
/// generation alongside would halve the speed of both and double the KV-cache memory, while in
/// line the first answers twice as soon); and ingests, one at a time, because two ingests of
/// the same files would embed them twice.
actor FairQueue {
    let slots: Int
    private var running = 0
    private var waiting: [(ticket: Int, continuation: CheckedContinuation<Void, Error>)] = []
    private var nextTicket = 0

    init(slots: Int) {
        self.slots = max(1, slots)
    }

    /// Work running and waiting (for `/v1/stats`).
    var load: (running: Int, waiting: Int) { (running, waiting.count) }

    /// Runs `work` when a slot is free.
    func run<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        try await acquire()
        do {
            let value = try await work()
            release()
            return value
        } catch {
            release()
            throw error
        }
    }

    /// Waits for a slot; every successful `acquire` must be followed by one ``release()``.
    /// A task cancelled while it waits leaves the line (CancellationError) holding no slot.
    func acquire() async throws {
        if running < slots && waiting.isEmpty {
            running += 1
            return
        }
        let ticket = nextTicket
        nextTicket += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiting.append((ticket, continuation))
                }
            }
        } onCancel: {
            Task { await self.leave(ticket) }
        }
    }

    /// Hands the slot to the first in line (it stays taken), or frees it.
    func release() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().continuation.resume()
        }
    }

    private func leave(_ ticket: Int) {
        guard let index = waiting.firstIndex(where: { $0.ticket == ticket }) else { return }
        waiting.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}
