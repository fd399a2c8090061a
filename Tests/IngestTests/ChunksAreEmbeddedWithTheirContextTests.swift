import Foundation
import Store
import Testing
@testable import Ingest

/// The encoder reads each chunk after its title and heading path (``ChunkContext``); the stored
/// text stays the document's own.
@Suite("chunk context")
struct ChunksAreEmbeddedWithTheirContextTests {
    /// What the ingest embeds for a chunk: its context, then its text.
    func embedded(_ text: String, headingPath: String?, title: String?) -> String {
        ChunkContext.embeddedText(text, context: ChunkContext.context(of: text, headingPath: headingPath, title: title))
    }

    @Test("heading path first, else the title; not repeated; cut from the front")
    func embeddedText() {
        #expect(embedded("Sets hold no duplicates.", headingPath: "Data Structures > Sets", title: "Tutorial")
                == "Data Structures > Sets\nSets hold no duplicates.")
        #expect(embedded("the second half of an abstract", headingPath: nil, title: "Vitamin D and birth weight")
                == "Vitamin D and birth weight\nthe second half of an abstract")
        #expect(embedded("Vitamin D and birth weight\n\nWe studied…", headingPath: nil, title: "Vitamin D and birth weight")
                == "Vitamin D and birth weight\n\nWe studied…")
        #expect(embedded("text", headingPath: " ", title: nil) == "text")
        let long = (1...40).map { "Section \($0)" }.joined(separator: " > ")
        let cut = embedded("text", headingPath: long, title: nil)
        #expect(cut.hasPrefix("…") && cut.hasSuffix("Section 40\ntext"))
        #expect(cut.count <= ChunkContext.maximumCharacters + 1 + "\ntext".count)
    }

    @Test("ingest embeds the context and stores only the chunk's text")
    func ingestUsesContext() throws {
        let fixture = try IngestFixture()
        let body = (1...30).map { "Paragraph \($0) about the lamp room and its brass fittings." }.joined(separator: " ")
        try fixture.write("manual.md", "# Keeper's Manual\n\nIntro.\n\n## Lamp Room Wickcraft\n\n\(body)\n")
        try fixture.write("plain.txt", "A plain note about tides.\n")
        let encoder = FakeChunkEncoder()
        _ = try fixture.ingest(encoder)
        let lampRoom = encoder.texts.filter { $0.contains("Paragraph 30") }
        #expect(!lampRoom.isEmpty && lampRoom.allSatisfy { $0.hasPrefix("Keeper's Manual > Lamp Room Wickcraft\n") }, "\(encoder.texts)")
        // A plain text file has no title of its own: no context (never its file name).
        #expect(encoder.texts.contains("A plain note about tides."))
        let stored = try fixture.database.chunks(documentPath: fixture.path("manual.md"))
        #expect(!stored.isEmpty && stored.allSatisfy { !$0.text.hasPrefix("Keeper's Manual > ") })
        // The context is stored beside the text, and BM25 finds a chunk by its heading's words.
        let deep = stored.filter { $0.text.contains("Paragraph 30") }
        #expect(!deep.isEmpty && deep.allSatisfy { $0.context == "Keeper's Manual > Lamp Room Wickcraft" && !$0.text.contains("Wickcraft") })
        let matched = Set(try fixture.database.keywordMatches("wickcraft", in: .passages).map(\.id))
        #expect(deep.allSatisfy { matched.contains($0.id!) })
    }
}
