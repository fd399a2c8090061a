import Foundation
import Testing
@testable import Ingest
@testable import Store

/// A moved or renamed file keeps its vectors but not its old name: a title that was the file's
/// name follows the file; a title read from the text (a Markdown heading) stays.
struct MovedFileTakesItsNewTitleTests {
    @Test("a renamed text file is listed under its new name")
    func renamedTitle() throws {
        let fixture = try IngestFixture()
        try fixture.write("draft.txt", longText("walrus", sentences: 10))
        try fixture.write("heading.md", "# Penguins\n\nPenguins live in the south.\n")
        _ = try fixture.ingest()
        #expect(try fixture.database.document(path: fixture.path("draft.txt"))?.title == "draft.txt")
        try FileManager.default.moveItem(atPath: fixture.path("draft.txt"), toPath: fixture.path("final.txt"))
        try FileManager.default.moveItem(atPath: fixture.path("heading.md"), toPath: fixture.path("birds.md"))

        let report = try fixture.ingest()
        #expect(report.moved == 2 && report.added == 0)
        #expect(try fixture.database.document(path: fixture.path("final.txt"))?.title == "final.txt")
        #expect(try fixture.database.document(path: fixture.path("birds.md"))?.title == "Penguins")
        try fixture.expectConsistent()
    }

    @Test("a rename followed by an interrupted run: the move is committed with its title, the resume finishes the rest")
    func renamedThenInterrupted() throws {
        let fixture = try IngestFixture()
        try fixture.write("a-old.txt", longText("walrus", sentences: 10))
        _ = try fixture.ingest()
        try FileManager.default.moveItem(atPath: fixture.path("a-old.txt"), toPath: fixture.path("a-new.txt"))
        try fixture.write("b-added.txt", longText("otter", sentences: 10))
        #expect(throws: (any Error).self) { _ = try fixture.ingest(FakeChunkEncoder(failAfterTexts: 0)) }
        #expect(try fixture.database.document(path: fixture.path("a-new.txt"))?.title == "a-new.txt")

        let report = try fixture.ingest()
        #expect(report.added == 1 && report.unchanged == 1)
        #expect(try fixture.database.allDocuments().map(\.title) == ["a-new.txt", "b-added.txt"])
        try fixture.expectConsistent()
    }
}
