import Foundation
import Testing
import TroveTestSupport
@testable import Ingest

/// The demo corpus in Corpora/ goes through the walker, every loader and the chunker.
@Suite("Demo corpus")
struct DemoCorpusLoadsTests {
    static let folder = Fixtures.repositoryRoot.appendingPathComponent("Corpora")

    @Test("the walker finds the 15 documents; QUESTIONS.md and tools/ are ignored, nothing skipped")
    func walk() throws {
        try Fixtures.required(Self.folder.appendingPathComponent("QUESTIONS.md"))
        let (files, skipped) = FolderWalker(root: Self.folder).walk()
        #expect(skipped.isEmpty, "\(skipped)")
        #expect(files.count == 15)
        #expect(!files.contains { $0.lastPathComponent == "QUESTIONS.md" || $0.path.contains("/tools/") })
        let formats = try files.map { try #require(DocumentLoader.format(of: $0)) }
        #expect(Set(formats) == Self.demoFormats)
    }

    /// Every format but the zip-based ones, which have pandoc-made fixtures of their own
    /// (OfficeDocumentsLoadTests), and man pages (ManPagesLoadTests): the demo corpus and the
    /// answer figures measured on it stay as they are.
    static var demoFormats: Set<DocumentFormat> {
        Set(DocumentFormat.allCases).subtracting([.docx, .odt, .pptx, .epub, .man])
    }

    @Test("every document loads and chunks; hidden HTML text is absent; the PDF has 3 pages")
    func loadAndChunk() throws {
        let chunker = Chunker(countTokens: FakeWordPieceCounter.count)
        var documents: [LoadedDocument] = []
        for file in FolderWalker(root: Self.folder).walk().files { documents += try DocumentLoader.load(file) }
        #expect(documents.count == 14 + 6)  // 14 files, plus a .jsonl of 6 records
        for document in documents {
            #expect(!chunker.chunks(of: document).isEmpty, "\(document.path)")
            for hidden in ["GANNET-SECRET-2024", "Members enter free", "winter prices", "HAL-7731", "Exhibition extended"] {
                #expect(!document.text.contains(hidden), "\(hidden) in \(document.path)")
            }
        }
        let report = try #require(documents.first { $0.format == .pdf })
        #expect(report.pageStarts.count == 3)
        #expect(report.text.contains("SKERLINK"))
        let gannet = try #require(documents.first { $0.path.hasSuffix("gannet-head.md") })
        #expect(gannet.title == "Gannet Head Lighthouse")
        #expect(gannet.headings.count == 7)
    }
}
