import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What changed under a watched folder.
public enum FolderChange: Equatable, Sendable {
    /// A file was written and closed, or moved in; or a folder was created or moved in (its
    /// contents are then unknown: ingest it whole).
    case written(String, isFolder: Bool)
    /// A file or folder was deleted or moved out.
    case gone(String)
    /// The kernel dropped events (its queue overflowed): anything may have changed.
    case lost
}

/// The inotify watch limit was reached: folders beyond it cannot be watched.
public struct WatchLimitReached: Error, CustomStringConvertible {
    public let folder: String
    public var description: String {
        let limit = (try? String(contentsOfFile: "/proc/sys/fs/inotify/max_user_watches", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        return "cannot watch \(folder): the system's limit of inotify watches is reached (fs.inotify.max_user_watches = " +
            "\(limit); raise it with `sysctl fs.inotify.max_user_watches=524288`)"
    }
}

/// Changes to files under folders, from Linux's inotify: one watch per folder (inotify does not
/// recurse), added for folders as they appear. Hidden folders are not watched and changes to
/// hidden files are not reported, as the walk leaves them out.
///
/// Editors save in three ways, and each ends in an event reported here: writing in place
/// (`IN_CLOSE_WRITE`), writing a temporary file and renaming it over the original
/// (`IN_MOVED_TO`), deleting and recreating (`IN_DELETE`, then `IN_CLOSE_WRITE`).
public final class FolderWatcher {
    private let descriptor: Int32
    /// Watch descriptor → the folder it watches.
    private var folders: [Int32: String] = [:]

    private static let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE
                                     | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

    /// Watches every folder under `roots`. Throws ``WatchLimitReached`` when the system allows no more watches.
    public init(roots: [URL]) throws {
        descriptor = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard descriptor >= 0 else { throw LoaderError.unreadable(file: "inotify", reason: DocumentLoader.errnoText()) }
        // A throw from here on releases the instance, and `deinit` closes the descriptor.
        for root in roots { try watchTree(root.standardizedFileURL.path) }
    }

    deinit { close(descriptor) }

    /// Folders watched now.
    public var watchedFolders: Int { folders.count }

    /// The changes that arrive within `timeout` (none when nothing happened), in order.
    public func next(timeout: Duration) throws -> [FolderChange] {
        var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&ready, 1, milliseconds) > 0 else { return [] }
        var changes: [FolderChange] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            var offset = 0
            // struct inotify_event { int wd; uint32_t mask, cookie, len; char name[len]; }
            while offset + 16 <= count {
                let (wd, mask, length) = buffer.withUnsafeBytes { raw in
                    (raw.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                     raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                     Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)))
                }
                let nameBytes = buffer[(offset + 16)..<min(offset + 16 + length, count)].prefix { $0 != 0 }
                offset += 16 + length
                try handle(wd: wd, mask: mask, name: FileName.decode(nameBytes), into: &changes)
            }
        }
        return changes
    }

    private func handle(wd: Int32, mask: UInt32, name: String, into changes: inout [FolderChange]) throws {
        if mask & UInt32(IN_Q_OVERFLOW) != 0 { changes.append(.lost); return }
        if mask & UInt32(IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
            // The folder itself went away (its parent reports it as gone) or moved.
            if mask & UInt32(IN_IGNORED) == 0 { inotify_rm_watch(descriptor, wd) }
            folders[wd] = nil
            return
        }
        guard let folder = folders[wd], !name.isEmpty, !name.hasPrefix(".") else { return }
        let path = folder + "/" + name
        let isFolder = mask & UInt32(IN_ISDIR) != 0
        if mask & UInt32(IN_DELETE | IN_MOVED_FROM) != 0 {
            changes.append(.gone(path))
        } else if isFolder, mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
            // Files may land in a new folder before its watch exists: the folder is reported whole.
            try watchTree(path)
            changes.append(.written(path, isFolder: true))
        } else if !isFolder, mask & UInt32(IN_CLOSE_WRITE | IN_MOVED_TO) != 0 {
            changes.append(.written(path, isFolder: false))
        }
    }

    /// Adds a watch on `folder` and every folder below it that is not hidden.
    private func watchTree(_ folder: String) throws {
        let wd = FileName.withFileSystemPath(folder) { inotify_add_watch(descriptor, $0, Self.mask) }
        if wd < 0 {
            if errno == ENOSPC { throw WatchLimitReached(folder: folder) }
            return      // gone already, or not a folder: nothing to watch
        }
        // The same folder reached again: through a symbolic link (skip it, as the walk does), or
        // under a new name after a move (the watch follows the folder: take the new name).
        if let known = folders[wd], known == folder || FileManager.default.fileExists(atPath: known) { return }
        folders[wd] = folder
        guard case .success(let names) = FolderWalker.listFolder(folder) else { return }
        var subfolders: [String] = []
        for name in names where !name.hasPrefix(".") {
            var info = stat()
            let path = folder + "/" + name
            if FileName.withFileSystemPath(path, { stat($0, &info) }) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
                subfolders.append(path)
            }
        }
        for subfolder in subfolders { try watchTree(subfolder) }
    }
}
