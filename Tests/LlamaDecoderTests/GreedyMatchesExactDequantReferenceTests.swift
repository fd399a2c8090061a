import Foundation
import Testing
import LlamaDecoder
import TroveTestSupport

@Suite("Greedy decoding matches llama.cpp's exact-dequantisation float32 reference", .serialized)
struct GreedyMatchesExactDequantReferenceTests {
    @Test("the fixture and the model file are there")
    func fixtureLoads() throws {
        #expect(try GreedyFixture.load().prompts.count == 5)
        try SharedModel.with { model in #expect(model.config.layerCount == 30) }
    }

    /// Teacher-forced along the reference continuation (``expectGreedyMatches``).
    @Test("greedy tokens and log-probabilities per prompt", arguments: GreedyFixture.cases)
    func greedyMatches(_ prompt: GreedyFixture.Prompt) throws {
        try SharedModel.with { model in try expectGreedyMatches(model, prompt, label: prompt.name) }
    }

    /// `--kv-cache f16`: each key and value rounded to a half once (as llama.cpp's default cache),
    /// so exactness gives way to closeness; the batched prefill and the decode step both store halves.
    @Test("an f16 KV cache keeps the greedy tokens, log-probabilities within 0.02", arguments: GreedyFixture.cases)
    func f16Cache(_ prompt: GreedyFixture.Prompt) throws {
        try SharedModel.with { model in
            model.cachePrecision = .f16
            defer { model.cachePrecision = .f32 }
            #expect(model.makeCache(capacity: 4).precision == .f16)
            try expectGreedyMatches(model, prompt, label: "f16 KV \(prompt.name)", tolerance: 0.02)
        }
    }
}
