import Foundation
import Ingest
import Testing
import TroveTestSupport
@testable import Trove

/// `trove watch` against real file operations on a real folder: the index follows writes in place,
/// an editor's write-and-rename, delete-and-recreate, renames, new folders with files, a folder
/// moved out, a burst of files, and ignores what `trove ingest` ignores.
@Suite("watch keeps the index in step with the folder", .serialized)
struct WatchFollowsTheFolderTests {
    let folder: TemporaryFolder
    let root: URL
    let trove: TroveIndex

    init() throws {
        folder = try TemporaryFolder("trove-watch")
        root = folder.url.appendingPathComponent("notes")
        try folder.write("notes/first.md", "# First\n\nThe heron stands in the shallow water at dawn.\n")
        try folder.write("notes/.troveignore", "private/\n")
        trove = TroveIndex(indexFile: folder.url.appendingPathComponent("index.sqlite"),
                           models: ModelLocation(folder: Fixtures.modelsFolder))
    }

    /// The paths of the index, relative to the watched folder (none until the watch has made it).
    func indexed() throws -> Set<String> {
        guard FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("index.sqlite").path) else { return [] }
        return Set(try trove.documents().map { String($0.path.dropFirst(root.path.count + 1)) })
    }

    /// Waits up to 15 s for the index to hold exactly `expected`.
    func waitFor(_ expected: Set<String>, _ comment: Comment) async throws {
        for _ in 0..<150 {
            if try indexed() == expected { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try indexed() == expected, comment)
    }

    func text(of name: String) throws -> String {
        try trove.document(.path(root.appendingPathComponent(name).path)).text
    }

    @Test("writes, saves, renames, deletes, new folders and bursts are followed")
    func follows() async throws {
        let stop = CancellationFlag()
        let rounds = RoundLog()
        let ended = DispatchSemaphore(value: 0)
        let watching = Thread { [trove, root] in
            try? trove.watch([root], stop: stop, onRound: { rounds.add($0) })
            ended.signal()
        }
        watching.start()
        // The watch ends before the folder and the index go away.
        defer { stop.cancel(); ended.wait() }
        let files = FileManager.default
        try await waitFor(["first.md"], "the first ingest")

        try "The kingfisher dives from the alder branch.\n".write(to: root.appendingPathComponent("second.txt"), atomically: false, encoding: .utf8)
        try await waitFor(["first.md", "second.txt"], "a new file written in place")

        // An editor's save: write a temporary file, rename it over the original.
        let temporary = root.appendingPathComponent(".first.md.swp")
        try "# First\n\nThe heron flies off over the reeds.\n".write(to: temporary, atomically: false, encoding: .utf8)
        #expect(rename(temporary.path, root.appendingPathComponent("first.md").path) == 0)
        try await waitFor(["first.md", "second.txt"], "write-and-rename")
        for _ in 0..<50 where !(try text(of: "first.md")).contains("reeds") { try await Task.sleep(for: .milliseconds(100)) }
        #expect(try text(of: "first.md").contains("reeds"))

        // Delete and recreate.
        try files.removeItem(at: root.appendingPathComponent("second.txt"))
        try "The kingfisher returns with a minnow.\n".write(to: root.appendingPathComponent("second.txt"), atomically: false, encoding: .utf8)
        for _ in 0..<50 where !(try text(of: "second.txt")).contains("minnow") { try await Task.sleep(for: .milliseconds(100)) }
        #expect(try text(of: "second.txt").contains("minnow"))

        try files.moveItem(at: root.appendingPathComponent("second.txt"), to: root.appendingPathComponent("renamed.txt"))
        try await waitFor(["first.md", "renamed.txt"], "a rename")

        // A folder made elsewhere with files in it, moved in; an ignored folder; a hidden file.
        let outside = folder.url.appendingPathComponent("made-elsewhere")
        try files.createDirectory(at: outside.appendingPathComponent("deeper"), withIntermediateDirectories: true)
        try "Otters play below the weir.\n".write(to: outside.appendingPathComponent("deeper/otters.md"), atomically: false, encoding: .utf8)
        try files.moveItem(at: outside, to: root.appendingPathComponent("moved-in"))
        try files.createDirectory(at: root.appendingPathComponent("private"), withIntermediateDirectories: true)
        try "secret\n".write(to: root.appendingPathComponent("private/diary.txt"), atomically: false, encoding: .utf8)
        try "hidden\n".write(to: root.appendingPathComponent(".hidden.txt"), atomically: false, encoding: .utf8)
        try await waitFor(["first.md", "renamed.txt", "moved-in/deeper/otters.md"], "a folder moved in; ignored and hidden files left out")

        // A file written into a folder created while watching.
        try "The swans nest by the sluice.\n".write(to: root.appendingPathComponent("moved-in/deeper/swans.txt"), atomically: false, encoding: .utf8)
        try await waitFor(["first.md", "renamed.txt", "moved-in/deeper/otters.md", "moved-in/deeper/swans.txt"], "a file in a new folder")
        // Files written below the root go into the root's collection, not into their own folder's.
        let collections = try trove.documents().map(\.collection)
        #expect(collections.allSatisfy { $0 == root.lastPathComponent }, "\(collections)")

        // A folder moved out of the watched tree.
        try files.moveItem(at: root.appendingPathComponent("moved-in"), to: folder.url.appendingPathComponent("gone-away"))
        try await waitFor(["first.md", "renamed.txt"], "a folder moved out")

        // A burst: 200 files at once.
        let burst = (0..<200).map { "burst/note-\($0).txt" }
        try files.createDirectory(at: root.appendingPathComponent("burst"), withIntermediateDirectories: true)
        for (n, name) in burst.enumerated() {
            try "Note \(n) about the tides of the estuary.\n".write(to: root.appendingPathComponent(name), atomically: false, encoding: .utf8)
        }
        try await waitFor(Set(["first.md", "renamed.txt"] + burst), "a burst of 200 files")
        try files.removeItem(at: root.appendingPathComponent("burst"))
        try await waitFor(["first.md", "renamed.txt"], "a folder deleted")
        #expect(rounds.count > 1)
    }

    @Test("a file is included exactly when `trove ingest ROOT` would read it")
    func includes() throws {
        let walker = FolderWalker(root: root)
        #expect(walker.includes(root.appendingPathComponent("first.md")))
        #expect(walker.includes(root.appendingPathComponent("new/folder/later.txt")))
        #expect(!walker.includes(root.appendingPathComponent("private/diary.txt")))
        #expect(!walker.includes(root.appendingPathComponent(".hidden.txt")))
        #expect(!walker.includes(root.appendingPathComponent("a/.git/config.md")))
        #expect(!walker.includes(root.appendingPathComponent("image.png")))
        #expect(!walker.includes(folder.url.appendingPathComponent("elsewhere.md")))
    }
}

/// Rounds reported by a watch running on another thread.
final class RoundLog: @unchecked Sendable {
    private let lock = NSLock()
    private var rounds: [WatchRound] = []
    func add(_ round: WatchRound) { lock.withLock { rounds.append(round) } }
    var count: Int { lock.withLock { rounds.count } }
}
