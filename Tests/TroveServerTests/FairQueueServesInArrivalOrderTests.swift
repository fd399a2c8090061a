import Foundation
import Testing
import Trove
import TroveTestSupport
@testable import TroveServer

@Suite("generation line and cancellation")
struct FairQueueServesInArrivalOrderTests {
    /// Records the order work ran in, and how many ran at once.
    actor Log {
        var order: [Int] = []
        var running = 0, most = 0
        func start(_ i: Int) { order.append(i); running += 1; most = max(most, running) }
        func end() { running -= 1 }
    }

    @Test("one slot: work runs one at a time, in the order it arrived")
    func fifo() async throws {
        let queue = FairQueue(slots: 1), log = Log()
        try await queue.acquire()                     // hold the slot while the others line up
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<6 {
                group.addTask {
                    try await queue.run {
                        await log.start(i)
                        try await Task.sleep(for: .milliseconds(5))
                        await log.end()
                    }
                }
                while await queue.load.waiting < i + 1 { await Task.yield() }
            }
            await queue.release()
            try await group.waitForAll()
        }
        #expect(await log.order == [0, 1, 2, 3, 4, 5])
        #expect(await log.most == 1)
        #expect(await queue.load == (0, 0))
    }

    @Test("a request cancelled while it waits leaves the line without running")
    func cancelledWhileWaiting() async throws {
        let queue = FairQueue(slots: 1), log = Log()
        try await queue.acquire()
        let waiter = Task { try await queue.run { await log.start(1) } }
        while await queue.load.waiting < 1 { await Task.yield() }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        await queue.release()
        #expect(await log.order.isEmpty)
        #expect(await queue.load == (0, 0))
    }

    @Test("a raised cancellation flag stops a generation before its next token")
    func flagStopsGeneration() throws {
        _ = try Fixtures.required(Fixtures.decoderFile)
        let trove = TroveIndex(indexFile: nil, models: ModelLocation(folder: Fixtures.modelsFolder))
        let flag = CancellationFlag()
        var options = GenerationOptions()
        options.maxTokens = 200
        options.cancellation = flag
        var pieces = 0
        let generation = try trove.chat([ChatTurn(.user, "Write a long story about the sea.")], options: options) { text in
            pieces += 1
            if pieces == 3 { flag.cancel() }
        }
        #expect(generation.stopReason == "cancelled")
        #expect(generation.generatedIDs.count <= 3)
    }
}
