import Foundation
import Testing
import TroveTestSupport
@testable import Ingest
@testable import Store

/// Devices, FIFOs and sockets are refused with a message naming the file and its kind, and never
/// read: `/dev/zero` once grew a server to 23 GB, and a FIFO with no writer would block for ever
/// (hence the time limit: a blocking open fails the test instead of hanging it).
@Suite("Only regular files are ingested", .timeLimit(.minutes(1)))
struct IngestReadsOnlyRegularFilesTests {
    @Test("devices, a FIFO and a socket named directly are skipped with their kind; the regular file is indexed")
    func namedDirectly() throws {
        let fixture = try IngestFixture()
        let fifo = try makeFIFO(fixture.corpus.appendingPathComponent("pipe.txt"))
        let socket = try makeSocket(fixture.corpus.appendingPathComponent("sock.txt"))
        defer { close(socket.descriptor) }
        let good = try fixture.write("good.txt", "the walrus sleeps")
        let paths = ["/dev/zero", "/dev/null", fifo.path, socket.url.path, good.path].map { URL(fileURLWithPath: $0) }
        let report = try IngestPipeline(database: fixture.database, encoder: FakeChunkEncoder()).ingest(paths: paths)
        #expect(report.added == 1)
        let reasons = Dictionary(uniqueKeysWithValues: report.skipped.map { ($0.path, $0.reason) })
        #expect(reasons["/dev/zero"] == "is a character device, not a regular file (only regular files are ingested)")
        #expect(reasons["/dev/null"]?.contains("character device") == true)
        #expect(reasons[fixture.path("pipe.txt")]?.contains("named pipe (FIFO), not a regular file") == true)
        #expect(reasons[fixture.path("sock.txt")]?.contains("a socket, not a regular file") == true)
        #expect(try fixture.storedPaths() == ["good.txt"])
        try fixture.expectConsistent()
    }

    @Test("the folder walk reports a FIFO and a socket as skipped, and so does a root that is one")
    func foundByTheWalk() throws {
        let folder = try TemporaryFolder()
        try folder.write("notes.txt", "x")
        let fifo = try makeFIFO(folder.url.appendingPathComponent("pipe.md"))
        let socket = try makeSocket(folder.url.appendingPathComponent("sock.md"))
        defer { close(socket.descriptor) }
        let walk = FolderWalker(root: folder.url).walk()
        #expect(walk.files.map(\.lastPathComponent) == ["notes.txt"])
        #expect(walk.skipped.map(\.path) == [fifo.standardizedFileURL.path, socket.url.standardizedFileURL.path])
        #expect(walk.skipped.map(\.reason) == [
            "is a named pipe (FIFO), not a regular file (only regular files are ingested)",
            "is a socket, not a regular file (only regular files are ingested)",
        ])
        let root = FolderWalker(root: URL(fileURLWithPath: "/dev/zero")).walk()
        #expect(root.files.isEmpty && root.skipped.first?.reason.contains("character device") == true)
    }

    @Test("the loader refuses a FIFO and a device without opening them for a blocking read")
    func loaderRefuses() throws {
        let folder = try TemporaryFolder()
        let fifo = try makeFIFO(folder.url.appendingPathComponent("corpus.jsonl"))
        #expect(throws: LoaderError.notRegularFile(file: fifo.path, kind: "a named pipe (FIFO)")) {
            try DocumentLoader.load(fifo)
        }
        #expect(throws: LoaderError.notRegularFile(file: "/dev/zero", kind: "a character device")) {
            try DocumentLoader.load(URL(fileURLWithPath: "/dev/zero"))
        }
        #expect(throws: LoaderError.notRegularFile(file: "/dev/zero", kind: "a character device")) {
            try DocumentLoader.checkFile(URL(fileURLWithPath: "/dev/zero"))
        }
    }

    @Test("a path swapped for a FIFO after the stat check is refused by fstat, and opening it does not block")
    func swappedAfterCheck() throws {
        // withDescriptor is what runs after the stat check: called alone, it sees the FIFO only
        // through open (non-blocking, so it returns without a writer) and fstat.
        let folder = try TemporaryFolder()
        let fifo = try makeFIFO(folder.url.appendingPathComponent("swapped.txt"))
        #expect(throws: LoaderError.notRegularFile(file: fifo.path, kind: "a named pipe (FIFO)")) {
            try RegularFile.withDescriptor(fifo.path, limit: 1 << 20) { _, _ in Issue.record("the FIFO was handed out") }
        }
        #expect(throws: LoaderError.notRegularFile(file: "/dev/zero", kind: "a character device")) {
            try RegularFile.withDescriptor("/dev/zero", limit: 1 << 20) { _, _ in Issue.record("/dev/zero was handed out") }
        }
    }
}

/// Makes a FIFO at `url` (nobody writes to it: a blocking open would wait for ever).
func makeFIFO(_ url: URL) throws -> URL {
    guard mkfifo(url.path, 0o644) == 0 else { throw FixtureFailure("mkfifo \(url.path): \(String(cString: strerror(errno)))") }
    return url
}

/// Binds a Unix-domain socket at `url`; close the descriptor when done.
func makeSocket(_ url: URL) throws -> (url: URL, descriptor: Int32) {
    let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw FixtureFailure("socket(): \(String(cString: strerror(errno)))") }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let path = Array(url.path.utf8CString)
    guard path.count <= MemoryLayout.size(ofValue: address.sun_path) else { throw FixtureFailure("socket path too long: \(url.path)") }
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        path.withUnsafeBytes { raw.copyMemory(from: $0) }
    }
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    guard bound == 0 else { close(descriptor); throw FixtureFailure("bind \(url.path): \(String(cString: strerror(errno)))") }
    return (url, descriptor)
}

/// A fixture that could not be made, naming what failed.
struct FixtureFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
