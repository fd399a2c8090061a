import Testing
import Tensors
import TroveTestSupport
@testable import LlamaDecoder

@Suite("Decoding does not depend on the thread count", .serialized)
struct DecodingIsThreadCountIndependentTests {
    /// Greedy continuation and the final logits on `threads` threads (batched prefill, then 12 decode steps).
    func run(threads: Int, prompt: [Int32]) throws -> ([Int32], [Float]) {
        Threads.configure(count: threads)
        return try SharedModel.with { model in
            let cache = model.makeCache(capacity: 128)
            var logits = try model.forward(tokens: prompt, cache: cache)
            var tokens: [Int32] = []
            for _ in 0 ..< 12 {
                let t = Sampler.argmax(logits)
                tokens.append(t)
                logits = try model.forward(tokens: [t], cache: cache)
            }
            return (tokens, Array(logits))
        }
    }

    /// Logits after the prompt on `threads` threads, batched (sgemm) or token by token.
    func promptLogits(threads: Int, batched: Bool, prompt: [Int32]) throws -> [Float] {
        Threads.configure(count: threads)
        return try SharedModel.with { model in
            let cache = model.makeCache(capacity: 128)
            let saved = model.batchedPrefillThreshold
            defer { model.batchedPrefillThreshold = saved }
            model.batchedPrefillThreshold = batched ? 1 : Int.max
            return Array(try model.forward(tokens: prompt, cache: cache))
        }
    }

    @Test("the decode path alone is identical on 1 and 2 threads")
    func decodePathOneEqualsTwo() throws {
        ProcessWideSettings.acquire()
        defer { ProcessWideSettings.release() }
        let prompt = Array(try #require(GreedyFixture.cases.first).prompt_ids.prefix(12))
        let one = try promptLogits(threads: 1, batched: false, prompt: prompt)
        let two = try promptLogits(threads: 2, batched: false, prompt: prompt)
        Threads.configure(count: 2)
        #expect(one == two)
    }

    @Test("the batched prefill alone is identical on 1 and 2 threads")
    func prefillOneEqualsTwo() throws {
        ProcessWideSettings.acquire()
        defer { ProcessWideSettings.release() }
        let prompt = Array(try #require(GreedyFixture.cases.first).prompt_ids.prefix(12))
        let one = try promptLogits(threads: 1, batched: true, prompt: prompt)
        let two = try promptLogits(threads: 2, batched: true, prompt: prompt)
        Threads.configure(count: 2)
        #expect(one == two)
    }

    @Test("1 and 2 threads give byte-identical tokens and logits")
    func oneEqualsTwo() throws {
        ProcessWideSettings.acquire()
        defer { ProcessWideSettings.release() }
        let prompt = try #require(GreedyFixture.cases.first).prompt_ids
        let one = try run(threads: 1, prompt: prompt)
        let two = try run(threads: 2, prompt: prompt)
        Threads.configure(count: 2)
        #expect(one.0 == two.0)
        let delta = zip(one.1, two.1).map { abs($0 - $1) }.max() ?? 0
        #expect(one.1 == two.1, "logits differ between 1 and 2 threads (max |Δ| \(delta))")
    }

    @Test("batched prefill and token-by-token prompt processing agree")
    func batchedEqualsStepwise() throws {
        ProcessWideSettings.acquire()
        defer { ProcessWideSettings.release() }
        let prompt = try #require(GreedyFixture.cases.first).prompt_ids
        try SharedModel.with { model in
            let batched = model.makeCache(capacity: 64), stepwise = model.makeCache(capacity: 64)
            var a = Array(try model.forward(tokens: prompt, cache: batched))
            var b: [Float] = []
            for t in prompt { b = Array(try model.forward(tokens: [t], cache: stepwise)) }
            #expect(Sampler.argmax(a.withUnsafeMutableBufferPointer { $0 }) == Sampler.argmax(b.withUnsafeMutableBufferPointer { $0 }))
            let delta = zip(a, b).map { abs($0 - $1) }.max() ?? 0
            #expect(delta < 2e-3, "max |Δ logit| \(delta)")
        }
    }
}
