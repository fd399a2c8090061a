import Foundation
import Testing
import TroveTestSupport

/// `trove ask` on a folder holding a man page: a question that asks for an option is answered by
/// the tag of the option whose description matches, quoted from its tag.
@Suite("trove ask answers which-option questions with the option's tag", .serialized)
struct AskAnswersOptionQuestionsWithATagTests {
    static let page = #"""
    .TH LAMP 1 "December 2026" "lamp 2.1" "User Commands"
    .SH NAME
    lamp \- switch the lighthouse lamp on and off
    .SH DESCRIPTION
    Switch the lighthouse lamp to a steady or a flashing light.
    .TP
    .BR \-p ", " \-\-period =\fISECONDS\fR
    flash once every SECONDS seconds (default 30).
    .TP
    \fB\-s\fR, \fB\-\-steady\fR
    burn without flashing, all night.
    .TP
    \fB\-d\fR, \fB\-\-dim\fR
    burn at half brightness, to save oil.
    """#

    @Test("the short answer is the matching option's tag, and the quote starts at it")
    func optionTag() throws {
        let folder = try TemporaryFolder("trove-cli-option")
        let index = folder.url.appendingPathComponent("index.sqlite").path
        try folder.write("man/lamp.1", Self.page)
        let ingest = try TroveBinary.run(["ingest", "--index", index, folder.url.appendingPathComponent("man").path])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let run = try TroveBinary.run(["ask", "--index", index, "--json", "Which lamp option makes the lamp burn without flashing?"])
        #expect(run.status == 0, "\(run.stderr)")
        let answer = try TroveBinary.object(run.stdout)
        #expect(answer["answer"] as? String == "-s")
        #expect((answer["cited_answer"] as? String)?.hasPrefix("-s, --steady\nburn without flashing") == true, "\(answer["cited_answer"] ?? "")")
    }
}
