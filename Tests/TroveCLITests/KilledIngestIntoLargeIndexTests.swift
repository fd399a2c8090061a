import Foundation
import Store
import Testing
import TroveTestSupport

/// An ingest into a large index (40,000 chunks already stored, with their `-vectors` file) killed
/// with SIGKILL at several moments loses nothing that was there and leaves every document whole;
/// the next run completes it, and a search answers from the old rows and the new ones.
@Suite("an ingest into a large index killed with SIGKILL")
struct KilledIngestIntoLargeIndexTests {
    static let storedDocuments = 400, chunksPerDocument = 100, newFiles = 40

    @Test("keeps every stored row, writes whole documents only, and the next run completes")
    func killedIngest() throws {
        let folder = try TemporaryFolder("trove-large-kill")
        // The real encoder's identity and dimension, from a one-file index the binary wrote.
        try folder.write("seed/seed.txt", "The harbour master logged the storm.\n")
        let seedIndex = folder.url.appendingPathComponent("seed.sqlite").path
        #expect(try TroveBinary.run(["ingest", "--index", seedIndex, folder.url.appendingPathComponent("seed").path]).status == 0)
        let seed = try IndexDatabase.open(path: seedIndex).metadata()
        let identity = try #require(seed["encoder_identity"]), dimension = try #require(seed["dimension"].flatMap { Int($0) })

        let index = folder.url.appendingPathComponent("large.sqlite").path
        let database = try IndexDatabase.open(path: index)
        try database.ensureEncoder(identity: identity, dimension: dimension)
        var state: UInt64 = 7
        func unitVector() -> [Float] {
            let values = (0 ..< dimension).map { _ -> Float in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000
            }
            let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return values.map { $0 / norm }
        }
        for document in 0 ..< Self.storedDocuments {
            let chunks = (0 ..< Self.chunksPerDocument).map {
                Chunk(ordinal: $0, text: "stored note \(document).\($0) about the tide tables of harbour \($0 % 13)", start: 0, end: 1, tokenCount: 12)
            }
            try database.replaceDocument(Document(path: "/stored/\(document).txt", contentHash: "\(document)", size: 1, mtime: 0, format: "text"),
                                         chunks: chunks, vectors: chunks.map { _ in unitVector() })
        }
        let stored = Self.storedDocuments * Self.chunksPerDocument
        // The first search builds the vector file that later ingests extend.
        #expect(try TroveBinary.run(["search", "--index", index, "--mode", "dense", "tide tables"]).status == 0)

        let notes = folder.url.appendingPathComponent("notes")
        for i in 0 ..< Self.newFiles {
            try folder.write("notes/note-\(i).txt", (0 ..< 30).map { "Note \(i) line \($0): the keeper of light \(i) trimmed the wick and logged the fog." }.joined(separator: " "))
        }
        var committed: [Int] = []
        for delay in [0.5, 1.5, 3.0] {
            let process = Process()
            process.executableURL = TroveBinary.url
            process.arguments = ["ingest", "--index", index, notes.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            let reopened = try IndexDatabase.open(path: index)
            let stats = try reopened.stats()
            #expect(stats.chunks == stats.vectors, "after a kill at \(delay) s: \(stats.chunks) chunks, \(stats.vectors) vectors")
            #expect(try reopened.documents(under: "/stored").count == Self.storedDocuments)
            // Every new document present is whole: all of its chunks, each with its vector.
            let written = try reopened.documents(under: notes.path)
            committed.append(written.count)
            for document in written {
                #expect(try reopened.chunkCount(ofDocument: document.id!) > 0, "\(document.path) has no chunks")
            }
        }
        print("new documents committed when killed at 0.5, 1.5 and 3 s: \(committed) of \(Self.newFiles)")
        let rerun = try TroveBinary.run(["ingest", "--index", index, "--json", notes.path])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let final = try IndexDatabase.open(path: index).stats()
        #expect(final.documents == Self.storedDocuments + Self.newFiles)
        #expect(final.chunks == final.vectors && final.chunks > stored)
        let found = try TroveBinary.object(try TroveBinary.run(["search", "--index", index, "--json", "-k", "3", "keeper of light 17 trimmed the wick"]).stdout)
        let paths = (found["results"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        #expect(paths.first?.hasSuffix("note-17.txt") == true, "\(paths)")
    }
}
