import Foundation
import FuzzTargets
import Testing
import TroveTestSupport

/// The fuzzing smoke test of every build: each committed seed (`Fuzz/Corpus/<target>/`) and each
/// input that once crashed a target (`Fuzz/Regressions/<target>/`, named for the test that covers
/// the fix) runs through its target exactly as `trove-fuzz` runs it. A crash here is a crash
/// there; the libFuzzer runs themselves are Benchmarks/fuzz/run.sh.
@Suite("Fuzz inputs replay without crashing")
struct FuzzInputsReplayWithoutCrashingTests {
    static let fuzzFolder = Fixtures.repositoryRoot.appendingPathComponent("Fuzz")

    static func files(in folder: String, of target: FuzzTarget) -> [URL] {
        let url = fuzzFolder.appendingPathComponent(folder).appendingPathComponent(target.name)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.sorted().map { url.appendingPathComponent($0) }
    }

    @Test("every target has a seed corpus, and every seed runs", arguments: FuzzTarget.all.map(\.name))
    func seedsRun(_ name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        let seeds = Self.files(in: "Corpus", of: target)
        #expect(!seeds.isEmpty, "Fuzz/Corpus/\(name)/ is empty: commit a few small seeds")
        for seed in seeds { try target.run(Data(contentsOf: seed)) }
    }

    @Test("every input that once crashed a target runs", arguments: FuzzTarget.all.map(\.name))
    func regressionsRun(_ name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        for input in Self.files(in: "Regressions", of: target) { try target.run(Data(contentsOf: input)) }
    }

    @Test("the corpus and regression folders are named for targets")
    func foldersNameTargets() throws {
        for folder in ["Corpus", "Regressions"] {
            let url = Self.fuzzFolder.appendingPathComponent(folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            for name in names where !name.hasPrefix(".") && name != "README.md" {
                #expect(FuzzTarget.named(name) != nil, "Fuzz/\(folder)/\(name) names no fuzz target")
            }
        }
    }
}
