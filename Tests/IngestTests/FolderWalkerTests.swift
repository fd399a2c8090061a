import Foundation
import Testing
import TroveTestSupport
@testable import Ingest

@Suite("Folder walker")
struct FolderWalkerTests {
    /// Paths of the walk's files relative to the folder.
    func relativeFiles(_ folder: TemporaryFolder) -> [String] {
        let root = folder.url.standardizedFileURL.path + "/"
        return FolderWalker(root: folder.url).walk().files.map { String($0.path.dropFirst(root.count)) }
    }

    @Test("files come recursively in sorted order; hidden files and folders are skipped")
    func sortedAndHidden() throws {
        let folder = try TemporaryFolder()
        for path in ["b.txt", "a.md", "sub/z.txt", "sub/deeper/c.py", "Z.html", ".hidden.txt", ".git/config.txt", "sub/.cache/x.txt"] {
            try folder.write(path, "text")
        }
        #expect(relativeFiles(folder) == ["Z.html", "a.md", "b.txt", "sub/deeper/c.py", "sub/z.txt"])
    }

    @Test("unsupported files are reported in skipped; a single-file root yields that file")
    func unsupportedAndSingleFile() throws {
        let folder = try TemporaryFolder()
        try folder.write("notes.txt", "x")
        let image = try folder.write("photo.jpg", Data([0xFF, 0xD8]))
        let walk = FolderWalker(root: folder.url).walk()
        #expect(walk.files.map(\.lastPathComponent) == ["notes.txt"])
        #expect(walk.skipped.map(\.path) == [image.standardizedFileURL.path])
        #expect(FolderWalker(root: image).walk().files == [image.standardizedFileURL])
    }

    @Test(".troveignore patterns: *, ?, [set], **, anchors, folder-only, negation, comments, nested files")
    func ignorePatterns() throws {
        let folder = try TemporaryFolder()
        try folder.write(".troveignore", """
        # drafts and logs
        *.log
        draft?.md
        [xy]*.txt
        /top-only.txt
        build/
        docs/**/secret.md
        !keep.log
        notes.md/
        """)
        let files = ["a.log", "keep.log", "draft1.md", "draft10.md", "x1.txt", "y.txt", "z.txt", "top-only.txt",
                     "sub/top-only.txt", "sub/b.log", "build/out.txt", "sub/build/out.txt", "docs/secret.md",
                     "docs/a/b/secret.md", "docs/public.md", "notes.md", "nested/.troveignore", "nested/one.md",
                     "nested/two.md", "nested/keep.log", "nested/inner/one.md"]
        for path in files { try folder.write(path, path == "nested/.troveignore" ? "one.md\n!*.log\n" : "text") }
        #expect(relativeFiles(folder) == ["docs/public.md", "draft10.md", "keep.log", "nested/keep.log", "nested/two.md",
                                          "notes.md", "sub/top-only.txt", "z.txt"])
    }

    @Test("a negated pattern re-includes; a later pattern wins; a deeper .troveignore overrides")
    func negationOrder() throws {
        let folder = try TemporaryFolder()
        try folder.write(".troveignore", "*.md\n!important.md\n")
        try folder.write("sub/.troveignore", "important.md\n")
        for path in ["a.md", "important.md", "sub/important.md", "sub/b.txt"] { try folder.write(path, "x") }
        #expect(relativeFiles(folder) == ["important.md", "sub/b.txt"])
    }

    @Test("a symbolic link loop is survived and reported; links to files and folders are followed")
    func symlinkLoop() throws {
        let folder = try TemporaryFolder()
        try folder.write("a/file.txt", "x")
        try folder.write("elsewhere/target.md", "y")
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: folder.url.appendingPathComponent("a/loop").path, withDestinationPath: "..")
        try manager.createSymbolicLink(atPath: folder.url.appendingPathComponent("a/self").path, withDestinationPath: ".")
        try manager.createSymbolicLink(atPath: folder.url.appendingPathComponent("link.md").path,
                                       withDestinationPath: folder.url.appendingPathComponent("elsewhere/target.md").path)
        try manager.createSymbolicLink(atPath: folder.url.appendingPathComponent("dangling.txt").path, withDestinationPath: "/nonexistent/x")
        let walk = FolderWalker(root: folder.url).walk()
        let root = folder.url.standardizedFileURL.path + "/"
        #expect(walk.files.map { String($0.path.dropFirst(root.count)) } == ["a/file.txt", "elsewhere/target.md", "link.md"])
        let skipped = walk.skipped.map { String($0.path.dropFirst(root.count)) }
        #expect(skipped == ["a/loop", "a/self", "dangling.txt"])
        #expect(walk.skipped[0].reason.contains("already walked"))
        #expect(walk.skipped[2].reason.contains("dangling"))
    }

    @Test("an unreadable folder is reported, not fatal", .enabled(if: getuid() != 0, "root reads any folder"))
    func unreadableFolder() throws {
        let folder = try TemporaryFolder()
        try folder.write("ok.txt", "x")
        try folder.write("locked/secret.txt", "x")
        let locked = folder.url.appendingPathComponent("locked")
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: locked.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: locked.path) }
        let walk = FolderWalker(root: folder.url).walk()
        #expect(walk.files.map(\.lastPathComponent) == ["ok.txt"])
        #expect(walk.skipped.count == 1 && walk.skipped[0].reason.contains("Permission denied"))
    }

    @Test("a missing root is reported in skipped")
    func missingRoot() throws {
        let folder = try TemporaryFolder()
        let walk = FolderWalker(root: folder.url.appendingPathComponent("nope")).walk()
        #expect(walk.files.isEmpty)
        #expect(walk.skipped.first?.reason == "No such file or directory")
    }
}
