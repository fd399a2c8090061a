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

    @Test("answers are byte-identical on 1 and 2 threads")
    func sameOutputOnOneAndTwoThreads() throws {
        try Self.ingestDemoCorpus()
        let question = "How many granite blocks make up the Marrow Rock tower?"
        func answer(threads: String) throws -> NSDictionary {
            let run = try TroveBinary.run(["ask", "--index", Self.index, "--json", "--threads", threads, question])
            var object = try TroveBinary.object(run.stdout)
            object["timings"] = nil
            return object as NSDictionary
        }
        #expect(try answer(threads: "1") == answer(threads: "2"))
    }

    @Test("the quote is verbatim from the file, at the lines and code points the citation gives")
    func citationsPointAtTheFile() throws {
        try Self.ingestDemoCorpus()
        let run = try TroveBinary.run(["ask", "--index", Self.index, "--json", "How long did the Tollan Point siren's longest continuous run last?"])
        #expect(run.status == 0, "\(run.stderr)")
        let answer = try TroveBinary.object(run.stdout)
        let citations = answer["citations"] as? [[String: Any]] ?? []
        #expect(citations.count == 1, "one citation per distinct passage")
        let citation = try #require(citations.first)
        let quote = try #require(citation["quote"] as? String)
        #expect((answer["cited_answer"] as? String)?.hasPrefix(quote) == true)
        if let short = answer["answer"] as? String { #expect(quote.contains(short)) }
        let path = try #require(citation["path"] as? String)
        #expect(!path.hasPrefix("/") || !path.hasPrefix(FileManager.default.currentDirectoryPath + "/"))
        let file = try String(contentsOfFile: path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path, encoding: .utf8)
        // Code points: the file's text in [start, end) is the quote (text files: extracted text = file).
        let start = try #require(citation["start"] as? Int), end = try #require(citation["end"] as? Int)
        var slice = String.UnicodeScalarView()
        slice.append(contentsOf: Array(file.unicodeScalars)[start ..< end])
        #expect(String(slice) == quote)
        // Lines: the quote lies within lines line_start…line_end of the file.
        let first = try #require(citation["line_start"] as? Int), last = try #require(citation["line_end"] as? Int)
        let lines = file.split(separator: "\n", omittingEmptySubsequences: false)[(first - 1) ..< last].joined(separator: "\n")
        #expect(lines.contains(quote))
        #expect((citation["location"] as? String) == (first == last ? "\(path):\(first)" : "\(path):\(first)-\(last)"))
    }

    @Test("what streams to the terminal is the JSON's cited_answer, then the short answer and sources")
    func shownAnswerIsTheJSONAnswer() throws {
        try Self.ingestDemoCorpus()
        let question = "Who invented the sun valve used on the Kittiwake Skerry light?"
        let json = try TroveBinary.object(try TroveBinary.run(["ask", "--index", Self.index, "--json", question]).stdout)
        let text = try TroveBinary.run(["ask", "--index", Self.index, question])
        #expect(text.status == 0, "\(text.stderr)")
        let cited = try #require(json["cited_answer"] as? String)
        #expect(text.stdout.hasPrefix(cited + "\n"))
        if let short = json["answer"] as? String { #expect(text.stdout.contains("\nshort answer: \(short)\n")) }
        #expect(text.stdout.contains("\nSources:\n[1] ") || text.stdout.contains("\nSources:\n[2] "))
    }

    @Test("every quoted sentence lies in the citation its [n] names, one citation per passage", arguments: [
        "How many granite blocks make up the Marrow Rock tower?",
        "What is the focal length of a first-order Fresnel lens?",
        "Which oil did the Board change to in 1846?",
        "How many days did rock keepers serve on the station before going ashore?",
    ])
    func quotesLieInTheirCitations(question: String) throws {
        try Self.ingestDemoCorpus()
        let run = try TroveBinary.run(["ask", "--index", Self.index, "--json", question])
        #expect(run.status == 0, "\(run.stderr)")
        let answer = try TroveBinary.object(run.stdout)
        let citations = answer["citations"] as? [[String: Any]] ?? []
        let numbers = citations.compactMap { $0["n"] as? Int }
        #expect(!numbers.isEmpty && Set(numbers).count == numbers.count, "one citation per distinct passage: \(numbers)")
        // cited_answer: per citation, in order, "sentence[ … sentence] [n]", citations one per line.
        var rest = try #require(answer["cited_answer"] as? String)[...]
        for citation in citations {
            let n = try #require(citation["n"] as? Int), quote = try #require(citation["quote"] as? String)
            let marker = try #require(rest.range(of: " [\(n)]"), "no [\(n)] in \(rest)")
            for sentence in rest[..<marker.lowerBound].components(separatedBy: " … ") {
                #expect(quote.contains(sentence), "\(sentence) is not in the quote of [\(n)]")
            }
            rest = rest[marker.upperBound...].drop { $0 == "\n" }
        }
        #expect(rest.isEmpty)
    }

    /// `ask` on a question it must refuse: exit 3, no model text in the JSON or on the terminal.
    /// Returns the JSON object and the text run's standard error.
    func refused(_ question: String) throws -> (json: [String: Any], stderr: String) {
        try Self.ingestDemoCorpus()
        let json = try TroveBinary.run(["ask", "--index", Self.index, "--json", question])
        #expect(json.status == 3, "exit \(json.status): \(json.stdout)")
        let object = try TroveBinary.object(json.stdout)
        #expect(object["answer"] is NSNull && object["cited_answer"] is NSNull)
        #expect(object["not_covered"] as? Bool == true)
        let text = try TroveBinary.run(["ask", "--index", Self.index, question])
        #expect(text.status == 3)
        #expect(text.stdout == "The documents do not cover this.\n")
        return (object, text.stderr)
    }

    @Test("a question the documents do not cover exits 3 and shows no model text")
    func notCovered() throws {
        _ = try refused("What is the airspeed velocity of an unladen swallow in a quantum computer?")
    }

    @Test("a question naming what the documents never mention is not covered, and says which name")
    func unmentionedName() throws {
        // Without the name, the fog-signal passages are close enough (cosine about 0.45) to answer from.
        let (object, stderr) = try refused("Which Kubernetes command shows the fog signal log?")
        #expect(object["unmentioned"] as? [String] == ["Kubernetes"])
        #expect(stderr.contains("they never mention “Kubernetes”"), "\(stderr)")
        let covered = try TroveBinary.run(["ask", "--index", Self.index, "--json", "How many granite blocks make up the Marrow Rock tower?"])
        #expect(try TroveBinary.object(covered.stdout)["unmentioned"] as? [String] == [])
    }
}
