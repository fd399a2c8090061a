import Foundation
import Testing
import TroveTestSupport
@testable import Trove

/// `--path`, `--type`, `--since`, `--until`, `--collection` are applied inside the ranking: every result is from an
/// allowed document, in every mode, and k results come back when the allowed documents hold k.
@Suite("search filters", .serialized)
struct SearchFiltersNeverLeakTests {
    let folder: TemporaryFolder
    let trove: TroveIndex

    /// Six documents about the same thing (so that, unfiltered, each would rank) in three formats,
    /// two folders and two years.
    init() throws {
        _ = try Fixtures.required(Fixtures.encoderFolder.appendingPathComponent("model.safetensors"))
        folder = try TemporaryFolder("trove-filters")
        let text = { (i: Int) in
            (1...4).map { p in "Lighthouse note \(i).\(p): the keeper trimmed the lamp wick and polished the lens before dusk. " +
                String(repeating: "The beam turned all night over the harbour. ", count: 12) }.joined(separator: "\n\n")
        }
        let files = ["notes/a.md", "notes/b.txt", "notes/c.html", "logs/d.md", "logs/e.txt", "logs/f.html"]
        for (i, name) in files.enumerated() {
            let body = name.hasSuffix(".html") ? "<html><body><p>" + text(i).replacingOccurrences(of: "\n\n", with: "</p><p>") + "</p></body></html>" : text(i)
            try folder.write("docs/" + name, body)
            // notes/ last changed in 2020, logs/ in 2025.
            let year = name.hasPrefix("notes/") ? "2020-06-01" : "2025-06-01"
            try FileManager.default.setAttributes([.modificationDate: SearchFilter.date(year)!],
                                                  ofItemAtPath: folder.url.appendingPathComponent("docs/" + name).path)
        }
        trove = TroveIndex(indexFile: folder.url.appendingPathComponent("index.sqlite"),
                           models: ModelLocation(folder: Fixtures.modelsFolder))
        try trove.ingest([folder.url.appendingPathComponent("docs")])
        // logs/ moves into its own collection; notes/ stays in "docs", the folder's name.
        try trove.ingest([folder.url.appendingPathComponent("docs/logs")], collection: "journal")
    }

    static let filters: [(SearchFilter, (String) -> Bool)] = [
        (SearchFilter(paths: ["notes/*"]), { $0.contains("/notes/") }),
        (SearchFilter(paths: ["*/logs/f.html", "notes/a.md"]), { $0.hasSuffix("/logs/f.html") || $0.hasSuffix("/notes/a.md") }),
        (SearchFilter(types: ["md"]), { $0.hasSuffix(".md") }),
        (SearchFilter(types: ["html", "txt"]), { $0.hasSuffix(".html") || $0.hasSuffix(".txt") }),
        (SearchFilter(since: SearchFilter.date("2024-01-01")), { $0.contains("/logs/") }),
        (SearchFilter(until: SearchFilter.date("2024-01-01")), { $0.contains("/notes/") }),
        (SearchFilter(paths: ["logs/*"], types: ["txt"], until: SearchFilter.date("2026-01-01")), { $0.hasSuffix("/logs/e.txt") }),
        (SearchFilter(collections: ["journal"]), { $0.contains("/logs/") }),
        (SearchFilter(collections: ["docs"]), { $0.contains("/notes/") }),
        (SearchFilter(types: ["md"], collections: ["docs", "journal"]), { $0.hasSuffix(".md") }),
    ]

    @Test("no result from outside the filter, in any mode; k results when the allowed documents have them",
          arguments: SearchMode.allCases)
    func noLeak(mode: SearchMode) throws {
        for (filter, allows) in Self.filters {
            let results = try trove.search("keeper polished the lighthouse lens", k: 6, mode: mode, filter: filter)
            #expect(!results.isEmpty, "\(filter)")
            #expect(results.allSatisfy { allows($0.path) }, "\(mode) \(filter): \(results.map(\.path))")
            let allowedDocuments = Set(results.map(\.path)).count
            // Every document has 4 passages that all match: up to 3 each, so 6 whenever 2 are allowed.
            if allowedDocuments >= 2 { #expect(results.count == 6, "\(mode) \(filter)") }
            #expect(results.map(\.rank) == Array(1...results.count))
        }
    }

    @Test("a filter that allows no document says so")
    func nothingMatches() throws {
        for filter in [SearchFilter(types: ["pdf"]), SearchFilter(paths: ["/nowhere/*"]),
                       SearchFilter(since: SearchFilter.date("2030-01-01")), SearchFilter(collections: ["logs"])] {
            let error = #expect(throws: FilterMatchesNothing.self) { try trove.search("lens", k: 3, filter: filter) }
            #expect(error?.description.contains("no document of the index matches") == true)
        }
    }

    @Test("ask answers from the filtered documents only", arguments: [SearchFilter(paths: ["logs/*"]), SearchFilter(collections: ["journal"])])
    func askFiltered(filter: SearchFilter) throws {
        var options = AskOptions()
        options.filter = filter
        let answer = try trove.ask("What did the keeper polish before dusk?", options: options)
        #expect(!answer.passages.isEmpty)
        #expect(answer.passages.allSatisfy { $0.path.contains("logs/") }, "\(answer.passages.map(\.path))")
        #expect(answer.citations.allSatisfy { $0.path.contains("logs/") }, "\(answer.citations.map(\.path))")
    }
}
