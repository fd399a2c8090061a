import Foundation
import Testing
import TroveTestSupport
@testable import Ingest

@Suite("JSONL corpora (BEIR format)")
struct JSONLRecordsTests {
    @Test("one document per record: path#id, title prepended to the text, blank lines skipped")
    func records() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("corpus.jsonl", """
        {"_id": "4983", "title": "Lens orders", "text": "A first-order lens is 920 mm across."}

        {"_id": 12, "title": "", "text": "No title here.", "metadata": {}}
        {"_id": "x", "text": "Title missing entirely."}
        """)
        let documents = try DocumentLoader.load(file)
        #expect(documents.map(\.path) == ["\(file.path)#4983", "\(file.path)#12", "\(file.path)#x"])
        #expect(documents[0].text == "Lens orders\n\nA first-order lens is 920 mm across.")
        #expect(documents[0].title == "Lens orders")
        #expect(documents[1].text == "No title here." && documents[1].title == nil)
        #expect(documents[2].text == "Title missing entirely.")
        #expect(documents.allSatisfy { $0.format == .jsonl })
    }

    @Test("a malformed line is an error naming the file and the line number",
          arguments: [("{\"_id\": \"1\", \"text\": \"ok\"}\n{not json}\n", 2),
                      ("{\"_id\": \"1\", \"text\": \"ok\"}\n\n[1, 2]\n", 3),
                      ("{\"text\": \"no id\"}\n", 1),
                      ("{\"_id\": \"7\", \"title\": \"t\"}\n", 1)])
    func malformed(contents: String, line: Int) throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("bad.jsonl", contents)
        #expect {
            try DocumentLoader.load(file)
        } throws: { error in
            guard case let LoaderError.malformedJSONLLine(path, number, _) = error else { return false }
            return path == file.path && number == line && "\(error)".contains("bad.jsonl: line \(line)")
        }
    }
}
