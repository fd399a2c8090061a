import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file the walker did not return, and why ("permission denied", "symbolic link loop", …).
public struct SkippedFile: Codable, Equatable, Sendable {
    /// The path as reached from the walk's root.
    public var path: String
    /// Why it was left out, in words.
    public var reason: String

    /// A skipped path and the reason, in words.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// Lists the files to ingest under a folder, in a deterministic order.
///
/// - Recursive, depth first; the entries of each folder sorted by the bytes of their UTF-8 names
///   (as `LC_ALL=C ls`), so the same tree always gives the same list.
/// - Hidden files and folders (names starting with ".") are left out, silently.
/// - `.troveignore` files (gitignore syntax, see ``IgnoreRules``) in any folder exclude paths
///   below that folder, silently.
/// - Symbolic links are followed. Each real folder (device + inode) is walked once, so a link
///   back to an ancestor (a loop) or a second link to the same folder is reported in `skipped`
///   instead of recursing forever; a dangling link is reported too.
/// - Files whose extension Trove does not read (``DocumentLoader/format(of:)``) are reported in
///   `skipped`; unreadable folders are reported there as well, never fatal.
/// - Only regular files are returned: devices, FIFOs and sockets are reported in `skipped`
///   (never opened), whether found in a folder or given as the root.
/// - A root that is a regular file yields that file, whatever its extension (the loader then says
///   why it cannot read it, since the user named it explicitly).
/// ```swift
/// let (files, skipped) = FolderWalker(root: URL(fileURLWithPath: "Corpora")).walk()
/// ```
public struct FolderWalker {
    /// Name of the ignore file read in every folder.
    public static let ignoreFileName = ".troveignore"
    /// The largest ignore file read (a list of patterns; a larger one is reported and left out).
    static let ignoreFileMaxBytes: Int64 = 1 << 20

    /// The folder (or single file) to walk, standardised ("." and ".." removed; links kept).
    public let root: URL

    /// A walker for `root`; nothing is read until ``walk()``.
    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// The files under ``root`` and what was skipped.
    public func walk() -> (files: [URL], skipped: [SkippedFile]) {
        var state = WalkState()
        var info = stat()
        guard FileName.withFileSystemPath(root.path, { stat($0, &info) }) == 0 else {
            state.skipped.append(SkippedFile(path: root.path, reason: DocumentLoader.errnoText()))
            return (state.files, state.skipped)
        }
        if (info.st_mode & S_IFMT) != S_IFDIR {
            if let kind = RegularFile.kind(of: info.st_mode) {
                return ([], [SkippedFile(path: root.path, reason: LoaderError.notRegularFile(file: root.path, kind: kind).problem)])
            }
            return ([root], [])
        }
        state.visited[DirectoryID(info)] = root.path
        walkFolder(root, components: [], ignoreStack: [], state: &state)
        return (state.files, state.skipped)
    }

    /// Walks one folder; `components` is its path below the root, `ignoreStack` the ignore rules of
    /// it and its ancestors, each with the depth of the folder holding it.
    private func walkFolder(_ folder: URL, components: [String], ignoreStack: [(depth: Int, rules: IgnoreRules)],
                            state: inout WalkState) {
        let names: [String]
        switch Self.listFolder(folder.path) {
        case .failure(let reason):
            state.skipped.append(SkippedFile(path: folder.path, reason: "folder cannot be read: \(reason)"))
            return
        case .success(let list): names = list
        }
        var stack = ignoreStack
        if names.contains(Self.ignoreFileName) {
            let ignoreFile = folder.appendingPathComponent(Self.ignoreFileName)
            do {
                let text = String(decoding: try DocumentLoader.readBytes(ignoreFile, limit: Self.ignoreFileMaxBytes), as: UTF8.self)
                stack.append((components.count, IgnoreRules(parsing: text)))
            } catch {
                state.skipped.append(SkippedFile(path: ignoreFile.path, reason: "ignore file cannot be read: \((error as? LoaderError)?.problem ?? "\(error)")"))
            }
        }
        for name in names where !name.hasPrefix(".") {
            let path = components + [name]
            var info = stat()
            let isDirectoryEntry: Bool
            let url = folder.appendingPathComponent(name)
            if FileName.withFileSystemPath(url.path, { stat($0, &info) }) != 0 {
                var linkInfo = stat()
                let dangling = FileName.withFileSystemPath(url.path, { lstat($0, &linkInfo) }) == 0
                    && (linkInfo.st_mode & S_IFMT) == S_IFLNK
                if isIgnored(path, isDirectory: false, stack) { continue }
                state.skipped.append(SkippedFile(path: url.path, reason: dangling
                    ? "dangling symbolic link" : DocumentLoader.errnoText()))
                continue
            }
            isDirectoryEntry = (info.st_mode & S_IFMT) == S_IFDIR
            if isIgnored(path, isDirectory: isDirectoryEntry, stack) { continue }
            if isDirectoryEntry {
                let id = DirectoryID(info)
                if let earlier = state.visited[id] {
                    state.skipped.append(SkippedFile(path: url.path,
                        reason: "symbolic link to a folder already walked (\(earlier)): loop or duplicate"))
                    continue
                }
                state.visited[id] = url.path
                walkFolder(url, components: path, ignoreStack: stack, state: &state)
            } else if (info.st_mode & S_IFMT) == S_IFREG {
                if DocumentLoader.format(of: url) == nil {
                    state.skipped.append(SkippedFile(path: url.path, reason: "unsupported file type '.\(url.pathExtension)'"))
                } else {
                    state.files.append(url)
                }
            } else {
                let kind = RegularFile.kind(of: info.st_mode) ?? "not a regular file"
                state.skipped.append(SkippedFile(path: url.path, reason: LoaderError.notRegularFile(file: url.path, kind: kind).problem))
            }
        }
    }

    /// Whether a walk of ``root`` would return `file` (a path below it, which need not exist any
    /// more): no hidden component, no `.troveignore` from the root down excluding it or a folder
    /// above it, and a type Trove reads. `trove watch` asks this of each changed file, so that it
    /// indexes exactly what `trove ingest ROOT` would.
    public func includes(_ file: URL) -> Bool {
        let base = root.path.hasSuffix("/") ? root.path : root.path + "/"
        let path = file.standardizedFileURL.path
        guard path.hasPrefix(base), DocumentLoader.format(of: file) != nil else { return false }
        let components = path.dropFirst(base.count).split(separator: "/").map(String.init)
        guard !components.isEmpty, !components.contains(where: { $0.hasPrefix(".") }) else { return false }
        var stack: [(depth: Int, rules: IgnoreRules)] = []
        var folder = root
        for depth in 0..<components.count {
            if depth > 0 {
                if isIgnored(Array(components[..<depth]), isDirectory: true, stack) { return false }
                folder = folder.appendingPathComponent(components[depth - 1])
            }
            let ignoreFile = folder.appendingPathComponent(Self.ignoreFileName)
            if let bytes = try? DocumentLoader.readBytes(ignoreFile, limit: Self.ignoreFileMaxBytes) {
                stack.append((depth, IgnoreRules(parsing: String(decoding: bytes, as: UTF8.self))))
            }
        }
        return !isIgnored(components, isDirectory: false, stack)
    }

    /// Deeper `.troveignore` files override shallower ones; within a file the last match wins.
    private func isIgnored(_ path: [String], isDirectory: Bool, _ stack: [(depth: Int, rules: IgnoreRules)]) -> Bool {
        var ignored = false
        for (depth, rules) in stack {
            if let verdict = rules.verdict(relativePath: Array(path[depth...]), isDirectory: isDirectory) { ignored = verdict }
        }
        return ignored
    }

    /// The folder's entry names (without "." and ".."), sorted by UTF-8 bytes, or the errno text.
    static func listFolder(_ path: String) -> Result<[String], ListError> {
        guard let directory = FileName.withFileSystemPath(path, { opendir($0) }) else { return .failure(ListError(DocumentLoader.errnoText())) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            // Not String(cString:): it would replace bytes that are not UTF-8, losing the name.
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { name in
                    FileName.decode(UnsafeRawBufferPointer(start: name, count: strlen(name)))
                }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return .success(names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    struct ListError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

/// A real folder's identity: symbolic links to it share it.
private struct DirectoryID: Hashable {
    let device: UInt64
    let inode: UInt64
    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}

private struct WalkState {
    var files: [URL] = []
    var skipped: [SkippedFile] = []
    var visited: [DirectoryID: String] = [:]
}
