import Testing
@testable import LlamaDecoder

@Suite("Generator stops on end-of-generation, stop strings and max tokens", .serialized)
struct GeneratorStopsAndReportsTests {
    /// "The capital of France is Paris." then <|im_end|> (id 2), greedy, from greedy.json.
    static let expected: [Int32] = [504, 3575, 282, 4649, 314, 7042, 30]

    func prompt() throws -> [Int32] { try #require(GreedyFixture.cases.first { $0.name == "capital_france" }).prompt_ids }

    /// Stand-in detokenizer: each id as "<id>", so stop strings can be written in ids.
    static let detokenize: ([Int32]) -> String = { $0.map { "<\($0)>" }.joined() }

    @Test("greedy generation yields the reference tokens and stops on <|im_end|>, with timings")
    func stopsOnEndOfGeneration() throws {
        let (tokens, reason, timings) = try SharedModel.with { model in
            let g = try Generator(model: model, prompt: prompt(), parameters: .greedy, maxTokens: 48, endOfGenerationTokens: [0, 2])
            return (Array(g), g.stopReason, g.timings)
        }
        #expect(tokens == Self.expected)
        #expect(reason == .endOfGeneration(token: 2))
        #expect(timings.promptTokens == 37 && timings.generatedTokens == 8)
        #expect(timings.promptTokensPerSecond > 0 && timings.generatedTokensPerSecond > 0 && timings.timeToFirstToken > 0)
    }

    @Test("max tokens stops after exactly that many")
    func stopsOnMaxTokens() throws {
        let (tokens, reason) = try SharedModel.with { model in
            let g = try Generator(model: model, prompt: prompt(), parameters: .greedy, maxTokens: 3, endOfGenerationTokens: [0, 2])
            return (Array(g), g.stopReason)
        }
        #expect(tokens == Array(Self.expected.prefix(3)))
        #expect(reason == .maxTokens)
    }

    @Test("a stop string ends generation and no token of it is yielded, even when it spans tokens")
    func stopsOnStopString() throws {
        let (tokens, reason, text) = try SharedModel.with { model in
            let g = try Generator(model: model, prompt: prompt(), parameters: .greedy, maxTokens: 48, endOfGenerationTokens: [0, 2],
                                  stopStrings: ["<4649><314>"], detokenize: Self.detokenize)
            return (Array(g), g.stopReason, g.text)
        }
        #expect(tokens == [504, 3575, 282])
        #expect(reason == .stopString("<4649><314>"))
        #expect(text == "<504><3575><282>")
    }

    @Test("a seeded sampled run repeats exactly")
    func seededRunRepeats() throws {
        let parameters = SamplingParameters(temperature: 1.0, topK: 40, topP: 0.95, minP: 0.05, seed: 7)
        let runs = try (0 ..< 2).map { _ in
            try SharedModel.with { model in
                Array(try Generator(model: model, prompt: prompt(), parameters: parameters, maxTokens: 16, endOfGenerationTokens: [0, 2]))
            }
        }
        #expect(runs[0] == runs[1] && !runs[0].isEmpty)
    }

    @Test("an out-of-vocabulary prompt id is refused")
    func badPromptRefused() throws {
        try SharedModel.with { model in
            _ = #expect(throws: LlamaDecoderError.tokenOutOfRange(token: 49152, vocabularySize: 49152)) {
                try Generator(model: model, prompt: [1, 49152], maxTokens: 4, endOfGenerationTokens: [2])
            }
        }
    }
}
