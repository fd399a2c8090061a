import Foundation
import Synchronization
import Testing
import TroveTestSupport
@testable import Tensors

@Suite("SpinningWorkers", .serialized)
struct SpinningWorkersCoverEveryIndexTests {
    @Test("every index is run exactly once, for any count, minimum and thread count")
    func coversEveryIndexOnce() {
        ProcessWideSettings.acquire()
        let before = Threads.count
        defer { Threads.configure(count: before); ProcessWideSettings.release() }
        for threads in [1, 2, 3] {
            Threads.configure(count: threads)
            for count in [1, 2, 7, 64, 1000, 4097] {
                for minimum in [1, 4, 64] {
                    var visits = [Int](repeating: 0, count: count)
                    visits.withUnsafeMutableBufferPointer { buffer in
                        let base = buffer.baseAddress!
                        SpinningWorkers.shared.parallelFor(count, minimumPerThread: minimum) { range in
                            for i in range { base[i] += 1 }
                        }
                    }
                    #expect(visits.allSatisfy { $0 == 1 }, "threads \(threads), count \(count), minimum \(minimum)")
                }
            }
        }
    }

    @Test("a nested call runs inline and still covers its range")
    func nestedCallRunsInline() {
        ProcessWideSettings.acquire()
        let before = Threads.count
        defer { Threads.configure(count: before); ProcessWideSettings.release() }
        Threads.configure(count: 2)
        let total = Atomic<Int>(0)
        SpinningWorkers.shared.parallelFor(8) { outer in
            for _ in outer {
                SpinningWorkers.shared.parallelFor(100) { inner in total.add(inner.count, ordering: .relaxed) }
            }
        }
        #expect(total.load(ordering: .relaxed) == 800)
    }

    @Test("the thread count is read once: the affinity mask and cgroup quota are parsed")
    func detection() throws {
        let folder = try TemporaryFolder("threads")
        let status = folder.url.appendingPathComponent("status"), quota = folder.url.appendingPathComponent("cpu.max")
        try "Name:\ttrove\nCpus_allowed:\tff,0000000f\nCpus_allowed_list:\t0-3\n".write(to: status, atomically: true, encoding: .utf8)
        #expect(Threads.affinityCount(status: status.path) == 12)
        try "150000 100000\n".write(to: quota, atomically: true, encoding: .utf8)
        #expect(Threads.cgroupQuota(quota.path) == 2)
        try "max 100000\n".write(to: quota, atomically: true, encoding: .utf8)
        #expect(Threads.cgroupQuota(quota.path) == nil)
    }
}

extension SpinningWorkersCoverEveryIndexTests {
    @Test("workers that ran under a quarter of a window's pieces send the next jobs inline, longer each time; a quarter or more, none")
    func fallsBackWhenUnhelped() {
        #expect(SpinningWorkers.inlineJobs(after: 0, helped: 256, of: 512) == 0)
        #expect(SpinningWorkers.inlineJobs(after: 0, helped: 128, of: 512) == 0)
        #expect(SpinningWorkers.inlineJobs(after: 0, helped: 127, of: 512) == SpinningWorkers.firstInlineJobs)
        #expect(SpinningWorkers.inlineJobs(after: SpinningWorkers.firstInlineJobs, helped: 10, of: 512) == 2 * SpinningWorkers.firstInlineJobs)
        #expect(SpinningWorkers.inlineJobs(after: SpinningWorkers.maximumInlineJobs, helped: 0, of: 512) == SpinningWorkers.maximumInlineJobs)
        #expect(SpinningWorkers.inlineJobs(after: SpinningWorkers.maximumInlineJobs, helped: 200, of: 512) == 0)
    }

    @Test("after many jobs the pool still covers every index once (whether it ran them inline or not)")
    func manyJobsCoverEveryIndex() {
        ProcessWideSettings.acquire()
        let before = Threads.count
        defer { Threads.configure(count: before); ProcessWideSettings.release() }
        Threads.configure(count: 2)
        for _ in 0 ..< 4 * SpinningWorkers.window {
            var visits = [Int](repeating: 0, count: 97)
            visits.withUnsafeMutableBufferPointer { buffer in
                let base = buffer.baseAddress!
                SpinningWorkers.shared.parallelFor(97) { range in for i in range { base[i] += 1 } }
            }
            #expect(visits.allSatisfy { $0 == 1 })
        }
    }
}
