import Foundation
import TroveTestSupport
import ZIPFoundation

/// Makes the zip-based documents the loader tests need broken in one precise way, at run time:
/// archives of given entries (with ZIPFoundation), a zip bomb, a password-protected copy of a real
/// document (with Info-ZIP's `zip -P`), and the pandoc-made fixtures themselves.
enum ZipFixtureWriter {
    /// `Tests/IngestTests/Fixtures/OfficeDocuments/<name>` (see the README there), or an error naming it.
    static func fixture(_ name: String) throws -> URL {
        let url = Fixtures.repositoryRoot.appendingPathComponent("Tests/IngestTests/Fixtures/OfficeDocuments/\(name)")
        try Fixtures.required(url)
        return url
    }

    /// An archive at `url` holding `entries` (path, bytes), deflated.
    static func archive(at url: URL, entries: [(String, Data)]) throws {
        let archive = try Archive(url: url, accessMode: .create)
        for (path, data) in entries {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    /// A zip bomb: `entry` holds `bytes` zeros, deflated to about a thousandth of that, written
    /// as a stream (the zeros are never all in memory).
    static func bomb(at url: URL, entry: String, bytes: Int64) throws {
        let archive = try Archive(url: url, accessMode: .create)
        try archive.addEntry(with: entry, type: .file, uncompressedSize: bytes, compressionMethod: .deflate,
                             bufferSize: 1 << 20) { _, size in Data(count: size) }
    }

    /// `document` unpacked and zipped again by `zip -r -P password`: every entry encrypted with
    /// the classic PKWARE cipher, as a user protecting a file with a zip password makes it.
    static func passwordProtectedCopy(of document: URL, at url: URL, password: String = "keeper") throws {
        let zip = URL(fileURLWithPath: "/usr/bin/zip")
        try Fixtures.required(zip)   // Scripts/install-deps.sh installs it
        let folder = try TemporaryFolder("trove-zip")
        try FileManager().unzipItem(at: document, to: folder.url)
        let process = Process()
        process.executableURL = zip
        process.currentDirectoryURL = folder.url
        process.arguments = ["-q", "-r", "-P", password, url.path, "."]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ZipFailed(status: process.terminationStatus) }
    }

    struct ZipFailed: Error, CustomStringConvertible {
        let status: Int32
        var description: String { "zip -P exited with status \(status)" }
    }
}
