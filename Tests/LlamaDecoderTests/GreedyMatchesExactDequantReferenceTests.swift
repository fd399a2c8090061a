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
}
