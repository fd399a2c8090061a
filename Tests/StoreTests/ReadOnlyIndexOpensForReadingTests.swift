import Foundation
import Testing
@testable import Store
import GRDB
import TroveTestSupport

/// An index that cannot be written (a read-only file, folder or file system) opens read-only:
/// reading works, and a write says the index is read-only instead of failing in
/// `CREATE TABLE grdb_issue_102` at open. As root, permission bits do not stop writes, so the
/// file or folder is made immutable (`chattr +i`), which stops root too; otherwise `chmod`.
struct ReadOnlyIndexOpensForReadingTests {
    enum Target: String, CaseIterable { case file, folder }

    /// Makes `path` unwritable, for root too; `undo` restores it.
    static func protect(_ path: String, undo: Bool = false) throws {
        let process = Process()
        if getuid() == 0 {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
            process.arguments = [undo ? "-i" : "+i", path]
        } else {
            process.executableURL = URL(fileURLWithPath: "/bin/chmod")
            process.arguments = [undo ? "u+w" : "a-w", path]
        }
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(process.executableURL!.path) \(process.arguments!) failed")
    }

    @Test("a read-only index opens read-only: documents are read, writes are refused clearly", arguments: Target.allCases)
    func readOnly(target: Target) throws {
        let folder = try TemporaryFolder("trove-readonly")
        let indexFolder = folder.url.appendingPathComponent("index")
        try FileManager.default.createDirectory(at: indexFolder, withIntermediateDirectories: true)
        let path = indexFolder.appendingPathComponent("index.trove").path
        do {
            let index = try IndexDatabase.open(path: path)
            try index.ensureEncoder(identity: "fake-encoder", dimension: 4)
            let sample = SampleDocument(path: "/notes/a.txt", texts: ["alpha beta", "gamma delta"])
            try index.replaceDocument(sample.document, chunks: sample.chunks, vectors: sample.vectors)
        }   // the last connection closes: SQLite checkpoints and removes -wal and -shm
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        let protected = target == .file ? path : indexFolder.path
        try Self.protect(protected)
        defer { try? Self.protect(protected, undo: true) }

        let index = try IndexDatabase.open(path: path)
        #expect(index.isReadOnly)
        #expect(try index.allDocuments().map(\.path) == ["/notes/a.txt"])
        #expect(try index.stats().chunks == 2)
        #expect(try index.loadVectors().chunkIDs.count == 2)
        let error = try #require(throws: StoreError.self) { try index.removeDocument(path: "/notes/a.txt") }
        #expect("\(error)".contains("read-only"), "\(error)")
        #expect(!"\(error)".contains("grdb_issue_102"))
    }

    @Test("a read-only folder without the index file says so")
    func missingFile() throws {
        let folder = try TemporaryFolder("trove-readonly")
        try Self.protect(folder.url.path)
        defer { try? Self.protect(folder.url.path, undo: true) }
        #expect(throws: StoreError.self) { _ = try IndexDatabase.open(path: folder.url.appendingPathComponent("none.trove").path) }
    }
}
