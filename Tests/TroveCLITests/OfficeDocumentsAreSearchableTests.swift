import Foundation
import Testing
import TroveTestSupport

/// `trove ingest` on a folder of pandoc-made Word, PowerPoint and EPUB files (the fixtures of
/// IngestTests) makes their passages searchable, with the section and slide a citation needs;
/// a broken document beside them is skipped with its reason.
@Suite("trove ingest reads DOCX, PPTX and EPUB", .serialized)
struct OfficeDocumentsAreSearchableTests {
    static let fixtures = Fixtures.repositoryRoot.appendingPathComponent("Tests/IngestTests/Fixtures/OfficeDocuments")

    @Test("a .docx is ingested, and searching finds its passage with the heading path; --type docx filters to it")
    func docxSearchable() throws {
        let folder = try TemporaryFolder("trove-cli-office")
        let index = folder.url.appendingPathComponent("index.sqlite").path
        let docs = folder.url.appendingPathComponent("docs")
        for name in ["lighthouses.docx", "slides.pptx", "lighthouses.epub"] {
            try folder.write("docs/\(name)", try Fixtures.required(Self.fixtures.appendingPathComponent(name)))
        }
        try folder.write("docs/broken.docx", "not a zip")
        let ingest = try TroveBinary.run(["ingest", "--index", index, "--json", docs.path])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let report = try TroveBinary.object(ingest.stdout)
        #expect(report["added"] as? Int == 3)
        let skipped = report["skipped"] as? [[String: Any]] ?? []
        #expect(skipped.count == 1)
        #expect((skipped.first?["path"] as? String)?.hasSuffix("broken.docx") == true)
        #expect((skipped.first?["reason"] as? String)?.contains("not a readable zip archive") == true)

        let search = try TroveBinary.run(["search", "--index", index, "--json", "--type", "docx", "-k", "1",
                                          "what did the keeper do during the gale of 1874"])
        #expect(search.status == 0, "\(search.stderr)")
        let results = try TroveBinary.object(search.stdout)["results"] as? [[String: Any]] ?? []
        let best = try #require(results.first)
        #expect((best["path"] as? String)?.hasSuffix("lighthouses.docx") == true)
        #expect((best["text"] as? String)?.contains("wound the clockwork by hand") == true)
        #expect(best["heading_path"] as? String == "Logbooks > Storms")
        #expect(best["title"] as? String == "The Keeper’s Handbook")

        let slides = try TroveBinary.run(["search", "--index", index, "--json", "--type", "pptx", "-k", "1",
                                          "mirror flashes of sunlight for Morse code"])
        let slide = try #require((try TroveBinary.object(slides.stdout)["results"] as? [[String: Any]])?.first)
        #expect(slide["page"] as? Int == 3)
        #expect(slide["heading_path"] as? String == "Heliograph")

        let list = try TroveBinary.run(["list", "--index", index, "--json"])
        #expect(list.status == 0, "\(list.stderr)")
        for format in ["docx", "pptx", "epub"] { #expect(list.stdout.contains("\"\(format)\""), "list lacks format \(format)") }
    }
}
