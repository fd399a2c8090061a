import Foundation
import Testing
import TroveTestSupport
@testable import Ingest

/// Found by the `pptx` fuzz target (input Fuzz/Regressions/pptx/processingInstructionsWithoutDataAreRefused):
/// a processing instruction with a target and no data (`<?x?>`) reaches Foundation's `XMLParser`
/// as a null pointer, which it reads: the process died. Such a part is now refused, naming it.
@Suite("Processing instructions without data are refused")
struct ProcessingInstructionsWithoutDataAreRefusedTests {
    @Test("a slide starting <?x?> is a malformed document, not a crash")
    func slide() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("deck.pptx")
        let slide = #"<?x?><p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>"#
        try ZipFixtureWriter.archive(at: file, entries: [
            ("ppt/presentation.xml", Data(#"<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:sldIdLst><p:sldId id="256" r:id="rId1"/></p:sldIdLst></p:presentation>"#.utf8)),
            ("ppt/_rels/presentation.xml.rels", Data(#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide1.xml"/></Relationships>"#.utf8)),
            ("ppt/slides/slide1.xml", Data(slide.utf8)),
        ])
        let error = try BrokenArchivesAreRefusedTests.loaderError(file)
        guard case let .malformedDocument(_, part, problem) = error else { Issue.record("got \(error)"); return }
        #expect(part == "ppt/slides/slide1.xml")
        #expect(problem == "holds a processing instruction without data (<?name?>) at offset 0, which is refused")
    }

    @Test("where such an instruction is found, and where none is", arguments: [
        ("<a><?x?></a>", 3), ("<?x?>", 0), ("<a><??></a>", 3),
        (#"<?xml version="1.0"?><a/>"#, nil), ("<?mso-application progid=\"Word.Document\"?><a/>", nil),
        ("<a><?x ?></a>", nil), ("<a>1 <? 2</a>", nil), ("<?", nil),
    ] as [(String, Int?)])
    func scan(xml: String, offset: Int?) {
        #expect(XMLTree.firstProcessingInstructionWithoutData(Data(xml.utf8)) == offset)
    }

    @Test("the fuzzer's slide is refused")
    func fuzzInput() throws {
        let url = Fixtures.repositoryRoot.appendingPathComponent("Fuzz/Regressions/pptx/processingInstructionsWithoutDataAreRefused")
        #expect(XMLTree.firstProcessingInstructionWithoutData(try Fixtures.required(url)) == 0)
    }
}
