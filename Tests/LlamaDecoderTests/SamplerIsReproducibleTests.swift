import Foundation
import Testing
@testable import LlamaDecoder

@Suite("Sampler")
struct SamplerIsReproducibleTests {
    /// A fixed, fairly flat distribution over 1000 tokens.
    func logits() -> [Float] { (0 ..< 1000).map { Float(($0 * 7919) % 1000) / 250 } }

    func draw(_ parameters: SamplingParameters, count: Int = 50) -> [Int32] {
        var sampler = Sampler(parameters: parameters)
        var context: [Int32] = [1, 2, 3]
        for _ in 0 ..< count {
            var l = logits()
            let t = l.withUnsafeMutableBufferPointer { sampler.sample($0, context: context) }
            context.append(t)
        }
        return Array(context.dropFirst(3))
    }

    @Test("the same seed gives the same tokens; another seed gives others")
    func seededDrawsRepeat() {
        let p = SamplingParameters(temperature: 1.5, topK: 0, topP: 1, minP: 0, seed: 42)
        #expect(draw(p) == draw(p))
        var q = p
        q.seed = 43
        #expect(draw(p) != draw(q))
    }

    @Test("greedy and top-k 1 take the argmax, lowest id on ties")
    func greedyIsArgmax() {
        let best = Int32(logits().indices.max { logits()[$0] < logits()[$1] }!)
        #expect(draw(.greedy, count: 1) == [best])
        #expect(draw(SamplingParameters(temperature: 1, topK: 1, seed: 3), count: 1) == [best])
        var tie: [Float] = [0, 5, 5, 1]
        #expect(tie.withUnsafeMutableBufferPointer { Sampler.argmax($0) } == 1)
    }

    @Test("top-k, top-p and min-p only ever return kept tokens")
    func filtersKeepTopTokens() {
        let sorted = logits().indices.sorted { logits()[$0] > logits()[$1] }
        let top5 = Set(sorted.prefix(5).map(Int32.init))
        #expect(Set(draw(SamplingParameters(temperature: 2, topK: 5, topP: 1, minP: 0, seed: 1), count: 200)).isSubset(of: top5))
        // min-p 0.9: only tokens within ln(1/0.9) of the top logit survive.
        let top = logits().max()!
        let nearTop = Set(logits().indices.filter { logits()[$0] >= top + log(0.9) }.map(Int32.init))
        #expect(Set(draw(SamplingParameters(temperature: 2, topK: 0, topP: 1, minP: 0.9, seed: 2), count: 100)).isSubset(of: nearTop))
        // top-p tiny: only the argmax.
        #expect(Set(draw(SamplingParameters(temperature: 2, topK: 0, topP: 1e-6, minP: 0, seed: 3), count: 30)) == [Int32(sorted[0])])
    }

    @Test("repetition penalty and no-repeat n-grams steer away from the context")
    func penalties() {
        var sampler = Sampler(parameters: SamplingParameters(temperature: 0, repetitionPenalty: 100, repetitionWindow: 4))
        var l: [Float] = [1, 3, 2.9, -1]
        #expect(l.withUnsafeMutableBufferPointer { sampler.sample($0, context: [1]) } == 2)
        // n = 2: context … 5 7 … 5 → 7 is banned after 5.
        var n = Sampler(parameters: SamplingParameters(temperature: 0, noRepeatNgramSize: 2))
        var m: [Float] = [0, 0, 0, 0, 0, 0, 0, 9, 8]
        #expect(m.withUnsafeMutableBufferPointer { n.sample($0, context: [5, 7, 1, 5]) } == 8)
    }
}
