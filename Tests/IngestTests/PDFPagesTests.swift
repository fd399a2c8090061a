import Foundation
import Testing
import TroveTestSupport
@testable import Ingest

@Suite("PDF loading through pdftotext")
struct PDFPagesTests {
    @Test("a three-page PDF comes back as text with one page start per page")
    func pagesAndOffsets() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("report.pdf", MinimalPDFWriter.pdf(pages: [
            ["Annual Report of the Lamp Board", "First page text about Fresnel lenses."],
            ["Second page: the keepers (and their logs)."],
            ["Third page mentions 1874."],
        ]))
        let documents = try DocumentLoader.load(file)
        #expect(documents.count == 1)
        let document = try #require(documents.first)
        #expect(document.format == .pdf)
        #expect(document.title == "Annual Report of the Lamp Board")
        #expect(document.pageStarts.count == 3)
        #expect(document.pageStarts.first == 0)
        let scalars = Array(document.text.unicodeScalars)
        let pages = document.pageStarts.enumerated().map { index, start -> String in
            let end = index + 1 < document.pageStarts.count ? document.pageStarts[index + 1] - 1 : scalars.count
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[start..<end])
            return String(view)
        }
        #expect(pages[0].contains("Fresnel lenses"))
        #expect(pages[1].contains("the keepers (and their logs)"))
        #expect(pages[2].contains("1874"))
        #expect(!pages[2].contains("\u{0C}"))
    }

    @Test("chunks of a PDF carry the page they start on")
    func chunkPages() throws {
        let folder = try TemporaryFolder()
        let line = "The lamp turned once every thirty seconds and the keeper wound the clockwork."
        let file = try folder.write("pages.pdf", MinimalPDFWriter.pdf(pages: [
            Array(repeating: line, count: 12), Array(repeating: line, count: 12), ["Last page."],
        ]))
        let document = try #require(try DocumentLoader.load(file).first)
        let chunks = Chunker(maxTokens: 64, targetTokens: 40, overlapTokens: 8, countTokens: FakeWordPieceCounter.count).chunks(of: document)
        #expect(Set(chunks.compactMap(\.page)) == [1, 2, 3])
        for chunk in chunks {
            let page = try #require(chunk.page)
            #expect(document.pageStarts[page - 1] <= chunk.start)
            if page < document.pageStarts.count { #expect(chunk.end < document.pageStarts[page]) }
        }
    }

    @Test("a corrupt PDF is an error naming the file and quoting pdftotext")
    func corruptFile() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("broken.pdf", "%PDF-1.4\nthis is not a PDF at all\n")
        #expect {
            try DocumentLoader.load(file)
        } throws: { error in
            guard case let LoaderError.pdftotextFailed(path, status, _) = error else { return false }
            return path == file.path && status != 0 && "\(error)".contains("broken.pdf")
        }
    }

    @Test("a missing pdftotext names the tool and the package to install")
    func missingTool() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("one.pdf", MinimalPDFWriter.pdf(pages: [["One page."]]))
        #expect(throws: LoaderError.toolMissing(file: file.path, tool: "pdftotext", install: "apt-get install poppler-utils")) {
            try PDFLoader.load(file, environment: ["PATH": folder.url.path])
        }
        let message = "\(LoaderError.toolMissing(file: file.path, tool: "pdftotext", install: "apt-get install poppler-utils"))"
        #expect(message.contains("one.pdf") && message.contains("pdftotext") && message.contains("poppler-utils"))
    }
}
