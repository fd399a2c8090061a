import Foundation
import Testing
import TroveTestSupport

/// `trove generate --model FILE` on the synthetic model of each decoder architecture
/// (Scripts/make-architecture-references.sh): the file's chat template and vocabulary are SmolLM2's.
@Suite("trove generate runs every decoder architecture")
struct GenerateRunsEveryArchitectureTests {
    static let folder = Fixtures.generatedModelsFolder.appendingPathComponent("architectures")

    @Test("generate --model <arch>.Q4_K_M.gguf writes the asked number of tokens",
          arguments: ["llama", "qwen2", "qwen3", "gemma3", "phi3"])
    func generates(_ architecture: String) throws {
        let model = Self.folder.appendingPathComponent("\(architecture).Q4_K_M.gguf")
        try Fixtures.required(model)
        let run = try TroveBinary.run(["generate", "--model", model.path, "--max-tokens", "5", "--json", "What is Trove?"])
        #expect(run.status == 0, "\(run.stderr)")
        let result = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect((result?["generated_ids"] as? [Int])?.count == 5)
    }

    @Test("a model of another architecture is refused with exit 1, naming it")
    func otherArchitectureRefused() throws {
        let folder = try TemporaryFolder()
        let url = try GGUFWriter(metadata: [("general.architecture", .string("mamba"))], tensors: []).write(to: folder)
        let run = try TroveBinary.run(["generate", "--model", url.path, "hello"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("architecture 'mamba' is not supported by the decoder (supported: llama, qwen2, qwen3, gemma3, phi3)"),
                "\(run.stderr)")
    }
}
