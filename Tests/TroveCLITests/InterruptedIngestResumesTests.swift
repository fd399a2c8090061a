import Foundation
import Testing
import TroveTestSupport

@Suite("an ingest killed with SIGKILL")
struct InterruptedIngestResumesTests {
    @Test("leaves a consistent index that the next run completes")
    func killedIngestResumes() throws {
        let folder = try TemporaryFolder("trove-kill")
        let index = folder.url.appendingPathComponent("index.sqlite").path
        let fileCount = 120
        for i in 0..<fileCount {
            let sentences = (0..<40).map { "Note \(i) sentence \($0) talks about harbour \(i % 7) and its tide tables." }
            try folder.write("notes/note-\(i).txt", sentences.joined(separator: " "))
        }
        let process = Process()
        process.executableURL = TroveBinary.url
        process.arguments = ["ingest", "--index", index, folder.url.appendingPathComponent("notes").path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until some documents are committed, then kill without warning.
        let deadline = Date().addingTimeInterval(60)
        var committed = 0
        while Date() < deadline, process.isRunning {
            if let stats = try? TroveBinary.object(try TroveBinary.run(["stats", "--index", index, "--json"]).stdout) {
                committed = stats["documents"] as? Int ?? 0
                if committed >= 3 { break }
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(committed > 0, "no document was committed before the kill")

        let partial = try TroveBinary.object(try TroveBinary.run(["stats", "--index", index, "--json"]).stdout)
        #expect(partial["chunks"] as? Int == partial["vectors"] as? Int, "chunks and vectors disagree after the kill")

        let rerun = try TroveBinary.run(["ingest", "--index", index, "--json", folder.url.appendingPathComponent("notes").path])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let stats = try TroveBinary.object(try TroveBinary.run(["stats", "--index", index, "--json"]).stdout)
        #expect(stats["documents"] as? Int == fileCount)
        #expect(stats["chunks"] as? Int == stats["vectors"] as? Int)
        let report = try TroveBinary.object(rerun.stdout)
        #expect((report["unchanged"] as? Int ?? 0) + (report["added"] as? Int ?? 0) == fileCount)
    }
}
