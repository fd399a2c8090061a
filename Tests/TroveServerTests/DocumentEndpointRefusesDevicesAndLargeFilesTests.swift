import Foundation
import Hummingbird
import HummingbirdTesting
import Ingest
import Testing
import Trove
@testable import TroveServer

/// `POST /v1/documents {"path": …}` reads only regular files within the size limit: `/dev/zero`
/// once grew the server to 23 GB. A device, FIFO or larger file named directly is a 400 naming it
/// (nothing is opened for reading, so a FIFO cannot block); inside a folder, it is reported skipped.
@Suite("/v1/documents refuses devices, FIFOs and large files", .serialized, .timeLimit(.minutes(2)))
struct DocumentEndpointRefusesDevicesAndLargeFilesTests {
    let fixture: ServerFixture

    init() throws { fixture = try ServerFixture(ingest: false) }

    @Test("/dev/zero, /dev/null and a FIFO named directly get 400 naming the file and its kind")
    func devicesAndFIFOs() async throws {
        let fifo = fixture.folder.url.appendingPathComponent("pipe.txt")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        try await fixture.withServer { client in
            for (path, kind) in [("/dev/zero", "a character device"), ("/dev/null", "a character device"),
                                 (fifo.path, "a named pipe (FIFO)")] {
                let response = try await client.post("/v1/documents", #"{"path": "\#(path)"}"#)
                #expect(response.status == .badRequest, "\(path)")
                #expect(try response.errorMessage() == "\(path): is \(kind), not a regular file (only regular files are ingested)")
                #expect(try (response.json()["error"] as? [String: Any])?["code"] as? String == "not_a_regular_file")
            }
        }
    }

    @Test("a file above the server's limit gets 400 with both sizes; in a folder it is skipped and the rest ingested")
    func largeFiles() async throws {
        fixture.configuration.fileSizeLimits = FileSizeLimits(allFormats: 1000)
        let big = try fixture.folder.write("more/big.txt", String(repeating: "gannets dive ", count: 100))   // 1,300 bytes
        try fixture.folder.write("more/small.txt", "Spring tides come at full and new moon.\n")
        let fifo = fixture.folder.url.appendingPathComponent("more/pipe.md")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        try await fixture.withServer { client in
            let direct = try await client.post("/v1/documents", #"{"path": "\#(big.path)"}"#)
            #expect(direct.status == .badRequest)
            #expect(try direct.errorMessage() == "\(big.path): is 1.3 KiB, above the 1000 bytes limit; see --max-file-size")
            #expect(try (direct.json()["error"] as? [String: Any])?["code"] as? String == "file_too_large")

            let folder = try await client.post("/v1/documents", #"{"path": "\#(big.deletingLastPathComponent().path)"}"#)
            #expect(folder.status == .ok)
            let report = try #require(try folder.json()["report"] as? [String: Any])
            #expect(report["added"] as? Int == 1)
            let skipped = try #require(report["skipped"] as? [[String: String]])
            #expect(skipped.contains { $0["path"] == big.path && $0["reason"]?.contains("above the 1000 bytes limit") == true })
            #expect(skipped.contains { $0["path"] == fifo.path && $0["reason"]?.contains("not a regular file") == true })
        }
    }
}
