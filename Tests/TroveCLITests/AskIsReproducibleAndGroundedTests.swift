import Foundation
import Testing
import TroveTestSupport

@Suite("trove ask on the demo corpus", .serialized)
struct AskIsReproducibleAndGroundedTests {
    static let folder = try! TemporaryFolder("trove-ask")
    static var index: String { folder.url.appendingPathComponent("demo.sqlite").path }

    static func ingestDemoCorpus() throws {
        if FileManager.default.fileExists(atPath: index) { return }
        let run = try TroveBinary.run(["ingest", "--index", index, Fixtures.repositoryRoot.appendingPathComponent("Corpora").path])
        #expect(run.status == 0, "\(run.stderr)")
    }

    @Test("greedy answers are byte-identical on 1 and 2 threads")
    func sameOutputOnOneAndTwoThreads() throws {
        try Self.ingestDemoCorpus()
        let question = "How many granite blocks make up the Marrow Rock tower?"
        func answer(threads: String) throws -> Any? {
            let run = try TroveBinary.run(["ask", "--index", Self.index, "--json", "--threads", threads, question])
            var object = try TroveBinary.object(run.stdout)
            object["timings"] = nil
            return object["answer"].map { _ in object as NSDictionary }
        }
        let one = try #require(try answer(threads: "1") as? NSDictionary)
        let two = try #require(try answer(threads: "2") as? NSDictionary)
        #expect(one == two)
    }

    @Test("the JSON answer cites passages with real spans, and a question the documents cannot answer exits 3")
    func citationsAndNotCovered() throws {
        try Self.ingestDemoCorpus()
        let run = try TroveBinary.run(["ask", "--index", Self.index, "--json", "How long did the Tollan Point siren's longest continuous run last?"])
        #expect(run.status == 0 || run.status == 3, "\(run.stderr)")
        let answer = try TroveBinary.object(run.stdout)
        for key in ["question", "answer", "citations", "passages", "timings", "grounded"] {
            #expect(answer[key] != nil, "ask --json lacks \(key)")
        }
        let passages = answer["passages"] as? [[String: Any]] ?? []
        #expect(!passages.isEmpty)
        for citation in answer["citations"] as? [[String: Any]] ?? [] {
            let path = citation["path"] as? String ?? ""
            let start = citation["start"] as? Int ?? -1, end = citation["end"] as? Int ?? -1
            let text = citation["text"] as? String ?? ""
            // The span points at the passage in the original file (plain text: the file's own text).
            if path.hasSuffix(".txt") || path.hasSuffix(".md") {
                let file = try String(contentsOfFile: path, encoding: .utf8)
                let scalars = Array(file.unicodeScalars)
                var slice = String.UnicodeScalarView()
                slice.append(contentsOf: scalars[start..<end])
                #expect(String(slice) == text)
            }
            #expect(citation["support"] is Double)
        }

        let offTopic = try TroveBinary.run(["ask", "--index", Self.index, "--json", "What is the airspeed velocity of an unladen swallow in a quantum computer?"])
        #expect(offTopic.status == 3, "exit \(offTopic.status): \(offTopic.stdout)")
    }
}
