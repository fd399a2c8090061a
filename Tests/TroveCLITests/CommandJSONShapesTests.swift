import Foundation
import Testing
import TroveTestSupport

/// The JSON that scripts rely on (README: "JSON shapes"), produced by the real binary on a real index.
@Suite("trove JSON output shapes", .serialized)
struct CommandJSONShapesTests {
    let folder: TemporaryFolder
    let index: String

    init() throws {
        folder = try TemporaryFolder("trove-cli")
        index = folder.url.appendingPathComponent("index.sqlite").path
        try folder.write("docs/tides.md", "# Tides\n\nThe tide rises twice a day because of the moon's gravity.\n\n## Spring tides\n\nSpring tides happen at full and new moon.\n")
        try folder.write("docs/bread.txt", "Sourdough bread rises with wild yeast and lactic acid bacteria kept in a starter.\n")
        try folder.write("docs/page.html", "<html><head><title>Knots</title><style>p{}</style></head><body><p>A bowline makes a fixed loop at the end of a rope.</p><script>var x = 1;</script></body></html>")
        try folder.write("docs/blob.txt", Data([0, 1, 2, 0, 255, 0, 3]))   // binary under a text name
    }

    @Test("ingest --json reports added files, chunks and the skipped binary file")
    func ingestReport() throws {
        let run = try TroveBinary.run(["ingest", "--index", index, "--json", folder.url.appendingPathComponent("docs").path])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try TroveBinary.object(run.stdout)
        #expect(report["added"] as? Int == 3)
        #expect((report["chunks_written"] as? Int ?? 0) >= 3)
        let skipped = report["skipped"] as? [[String: Any]] ?? []
        #expect(skipped.count == 1)
        let path = skipped.first?["path"] as? String ?? ""
        let reason = skipped.first?["reason"] as? String ?? ""
        #expect(path.hasSuffix("blob.txt"))
        #expect(reason.contains("binary"), "reason was: \(reason)")

        let again = try TroveBinary.object(try TroveBinary.run(["ingest", "--index", index, "--json", folder.url.appendingPathComponent("docs").path]).stdout)
        #expect(again["added"] as? Int == 0)
        #expect(again["unchanged"] as? Int == 3)
    }

    @Test("ingest --chunk-overlap changes how much text is embedded twice; word_pieces_written counts it")
    func chunkOverlap() throws {
        // One long document: sentences about lamps, enough for several chunks.
        let sentences = (1...120).map { "Lamp \($0) of the northern coast was lit at dusk and trimmed at midnight." }
        try folder.write("long/lamps.txt", sentences.joined(separator: " ") + "\n")
        var pieces: [Int: Int] = [:]
        for overlap in [0, 64] {
            let index = folder.url.appendingPathComponent("overlap\(overlap).sqlite").path
            let run = try TroveBinary.run(["ingest", "--index", index, "--json", "--chunk-overlap", "\(overlap)",
                                           folder.url.appendingPathComponent("long").path])
            #expect(run.status == 0, "\(run.stderr)")
            let report = try TroveBinary.object(run.stdout)
            #expect((report["chunks_written"] as? Int ?? 0) >= 5)
            pieces[overlap] = report["word_pieces_written"] as? Int ?? 0
        }
        let without = try #require(pieces[0]), with = try #require(pieces[64])
        #expect(without > 1500, "the text has about 2,000 word pieces, got \(without)")
        #expect(with > without + 4 * 40, "64 pieces of overlap between ≥ 5 chunks: \(with) vs \(without)")
        let refused = try TroveBinary.run(["ingest", "--index", index, "--chunk-overlap", "101", folder.url.appendingPathComponent("long").path])
        #expect(refused.status != 0 && refused.stderr.contains("--chunk-overlap must be 0-100"), "\(refused.stderr)")
    }

    @Test("search --json has query and ranked results with spans and scores")
    func searchShape() throws {
        _ = try TroveBinary.run(["ingest", "--index", index, folder.url.appendingPathComponent("docs").path])
        let run = try TroveBinary.run(["search", "--index", index, "--json", "-k", "2", "why does the sea rise twice a day"])
        #expect(run.status == 0, "\(run.stderr)")
        let output = try TroveBinary.object(run.stdout)
        #expect(output["query"] as? String == "why does the sea rise twice a day")
        let results = output["results"] as? [[String: Any]] ?? []
        #expect(results.count == 2)
        for key in ["rank", "path", "text", "distance", "cosine", "start", "end", "chunk_id"] {
            #expect(results.first?[key] != nil, "search result lacks \(key)")
        }
        #expect((results.first?["path"] as? String)?.hasSuffix("tides.md") == true)
        #expect(results.first?["rank"] as? Int == 1)
        let distance = results.first?["distance"] as? Double ?? -1
        let cosine = results.first?["cosine"] as? Double ?? -1
        #expect(abs(cosine - (1 - distance / 2)) < 1e-5)
    }

    @Test("embed --json gives text, input_ids with [CLS]/[SEP] and a unit embedding; `-` reads stdin")
    func embedShape() throws {
        let run = try TroveBinary.run(["embed", "--json", "Hello world"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try TroveBinary.object(run.stdout.trimmingCharacters(in: .newlines))
        #expect(object["text"] as? String == "Hello world")
        #expect(object["input_ids"] as? [Int] == [101, 7592, 2088, 102])   // sentence-transformers' ids
        let embedding = object["embedding"] as? [Double] ?? []
        #expect(embedding.count == 384)
        #expect(abs(embedding.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4)

        let piped = try TroveBinary.run(["embed", "--json", "--json-input", "-"], stdin: "\"first\\nline\"\n\"second\"\n")
        let lines = piped.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(try TroveBinary.object(String(lines[0]))["text"] as? String == "first\nline")
    }

    @Test("stats --json and list --json describe the index")
    func statsAndList() throws {
        _ = try TroveBinary.run(["ingest", "--index", index, folder.url.appendingPathComponent("docs").path])
        let stats = try TroveBinary.object(try TroveBinary.run(["stats", "--index", index, "--json"]).stdout)
        #expect(stats["documents"] as? Int == 3)
        #expect((stats["chunks"] as? Int ?? 0) >= 3)
        #expect((stats["encoder"] as? String ?? "").contains("all-MiniLM-L6-v2"))
        #expect(stats["encoder_precision"] as? String == "fp32")
        let list = try TroveBinary.run(["list", "--index", index, "--json"]).stdout.split(separator: "\n")
        #expect(list.count == 3)
        let first = try TroveBinary.object(String(list[0]))
        for key in ["path", "format", "chunks", "content_hash"] { #expect(first[key] != nil, "list lacks \(key)") }
        #expect(first["collection"] as? String == "docs")
    }

    @Test("ingest --collection tags, list --collections counts, search --collection keeps to it")
    func collections() throws {
        let docs = folder.url.appendingPathComponent("docs")
        _ = try TroveBinary.run(["ingest", "--index", index, docs.path])
        let tagged = try TroveBinary.run(["ingest", "--index", index, "--collection", "kitchen", docs.appendingPathComponent("bread.txt").path])
        #expect(tagged.status == 0, "\(tagged.stderr)")
        let lines = try TroveBinary.run(["list", "--index", index, "--collections", "--json"]).stdout.split(separator: "\n")
        let collections = try lines.map { try TroveBinary.object(String($0)) }
        #expect(collections.map { $0["name"] as? String } == ["docs", "kitchen"])
        #expect(collections.map { $0["documents"] as? Int } == [2, 1])
        let text = try TroveBinary.run(["list", "--index", index, "--collections"]).stdout
        #expect(text.contains("kitchen  [1 document, 1 chunk]"), "\(text)")
        let search = try TroveBinary.object(try TroveBinary.run(["search", "--index", index, "--json", "--collection", "kitchen", "lighthouse lens"]).stdout)
        let results = try #require(search["results"] as? [[String: Any]])
        #expect(results.count == 1 && (results.first?["path"] as? String)?.hasSuffix("bread.txt") == true, "\(results)")
        #expect((search["filter"] as? [String: Any])?["collections"] as? [String] == ["kitchen"])
        let none = try TroveBinary.run(["search", "--index", index, "--collection", "garden", "lens"])
        #expect(none.status != 0 && none.stderr.contains("--collection garden"), "\(none.stderr)")
    }

    @Test("remove takes a document out; an unknown path exits 1")
    func remove() throws {
        let docs = folder.url.appendingPathComponent("docs")
        _ = try TroveBinary.run(["ingest", "--index", index, docs.path])
        let removed = try TroveBinary.run(["remove", "--index", index, docs.appendingPathComponent("bread.txt").path])
        #expect(removed.status == 0, "\(removed.stderr)")
        let stats = try TroveBinary.object(try TroveBinary.run(["stats", "--index", index, "--json"]).stdout)
        #expect(stats["documents"] as? Int == 2)
        let unknown = try TroveBinary.run(["remove", "--index", index, "/no/such/doc.txt"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("/no/such/doc.txt"))
    }
}
