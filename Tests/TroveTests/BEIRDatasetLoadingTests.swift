import Foundation
import Testing
@testable import Trove
import TroveTestSupport

/// Loading BEIR folders: the real SciFact files, and hand-made broken ones whose errors must name
/// the file and the line.
struct BEIRDatasetLoadingTests {
    static var scifact: URL { DatasetLocation.scifact }

    @Test("loads SciFact with the counts its README gives", arguments: [
        ("test", 300, 339), ("train", 809, 919),
    ])
    func loadsSciFact(split: String, queries: Int, pairs: Int) throws {
        try Fixtures.required(Self.scifact.appendingPathComponent("corpus.jsonl"))
        let set = try BEIRDataset(folder: Self.scifact, split: split)
        #expect(set.corpus.count == 5183)
        #expect(set.queries.count == queries)
        #expect(set.qrels.queryIDs.count == queries)
        #expect(set.qrels.pairCount == pairs)
        // First test judgement line: "1\t31715818\t1" (CRLF stripped, so the score parses).
        if split == "test" {
            #expect(set.qrels.queryIDs.first == "1")
            #expect(set.qrels.judgements["1"] == ["31715818": 1])
            #expect(set.queries.first == BEIRQuery(id: "1", text: "0-dimensional biomaterials show inductive properties."))
        }
        let first = try #require(set.corpus.first)
        #expect(first.indexedText == first.title + " " + first.text)
    }

    /// Writes a small BEIR folder, replacing one file's text when asked.
    static func folder(corpus: String? = nil, queries: String? = nil, qrels: String? = nil) throws -> TemporaryFolder {
        let folder = try TemporaryFolder("beir")
        try folder.write("corpus.jsonl", corpus ?? """
            {"_id": "d1", "title": "Alpha", "text": "first", "metadata": {}}
            {"_id": "d2", "text": "untitled"}

            """)
        try folder.write("queries.jsonl", queries ?? """
            {"_id": "q1", "text": "alpha?", "metadata": {"d1": [{"sentences": [0], "label": "SUPPORT"}]}}
            {"_id": "q2", "text": "other split"}

            """)
        try folder.write("qrels/test.tsv", qrels ?? "query-id\tcorpus-id\tscore\r\nq1\td1\t1\r\nq1\td2\t0\r\n")
        return folder
    }

    @Test("a small folder: untitled documents index their text alone; only the split's queries are kept")
    func smallFolder() throws {
        let folder = try Self.folder()
        let set = try BEIRDataset(folder: folder.url, split: "test")
        #expect(set.corpus.map(\.indexedText) == ["Alpha first", "untitled"])
        #expect(set.queries == [BEIRQuery(id: "q1", text: "alpha?")])
        #expect(set.qrels.judgements == ["q1": ["d1": 1, "d2": 0]])
        #expect(set.qrels.relevantDocuments(of: "q1") == ["d1"])
    }

    @Test("errors name the file and the line", arguments: [
        ("corpus", "{\"_id\": \"d1\", \"text\": \"ok\"}\n{\"_id\": \"d2\", \"text\": \n", "corpus.jsonl:2:"),
        ("corpus", "{\"_id\": \"d1\", \"text\": \"a\"}\n{\"_id\": \"d1\", \"text\": \"b\"}\n", "corpus.jsonl:2: id 'd1'"),
        ("corpus", "{\"title\": \"no id\", \"text\": \"a\"}\n", "corpus.jsonl:1: expected"),
        ("queries", "{\"_id\": \"q1\"}\n", "queries.jsonl:1: expected"),
        ("qrels", "query-id\tcorpus-id\tscore\r\nq1\td1\r\n", "test.tsv:2: expected 3 tab-separated fields"),
        ("qrels", "query-id\tcorpus-id\tscore\r\nq1\td1\tyes\r\n", "test.tsv:2: expected an integer relevance score"),
        ("qrels", "query-id\tcorpus-id\tscore\r\nq1\td1\t1\r\nq9\td1\t1\r\n", "test.tsv:3: query id 'q9'"),
        ("qrels", "query-id\tcorpus-id\tscore\r\n", "test.tsv: no relevance judgements"),
    ])
    func errorsNameFileAndLine(file: String, text: String, expectedFragment: String) throws {
        let folder = try Self.folder(corpus: file == "corpus" ? text : nil,
                                     queries: file == "queries" ? text : nil,
                                     qrels: file == "qrels" ? text : nil)
        let error = #expect(throws: EvaluationError.self) { try BEIRDataset(folder: folder.url, split: "test") }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains(expectedFragment), "got: \(message)")
        #expect(message.contains(folder.url.path))
    }

    @Test("a missing split names the qrels path looked for")
    func missingSplit() throws {
        let folder = try Self.folder()
        let path = folder.url.appendingPathComponent("qrels/dev.tsv").path
        #expect(throws: EvaluationError.missingFile(path: path)) { try BEIRDataset(folder: folder.url, split: "dev") }
    }
}
