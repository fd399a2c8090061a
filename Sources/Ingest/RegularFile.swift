import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Opens a file to ingest so that nothing can block the ingest or make it read without bound
/// (`/dev/zero` once grew a server to 23 GB):
///
/// 1. `stat` (links followed): only a regular file is opened at all, so a device, FIFO or socket
///    is refused before `open` could wait for a writer or act on a device.
/// 2. `open(O_RDONLY | O_NONBLOCK | O_NOCTTY)`: should the path be swapped for a FIFO between 1
///    and 2, `open` returns at once instead of waiting for a writer.
/// 3. `fstat` on the descriptor: what was opened must be a regular file within the limit. This is
///    the check that counts, since no later swap of the path changes an open descriptor.
/// 4. At most `limit + 1` bytes are read, so a file that grows past the limit while it is read is
///    refused too.
///
/// Symbolic links are followed, not refused with `O_NOFOLLOW`: the walk follows them by design
/// (``FolderWalker``), and 3 and 4 check whatever a link resolves to.
enum RegularFile {
    /// Bytes read per `read` call (and fed to the hash at a time).
    static let pieceBytes = 1 << 16

    /// Checks with `stat` that `path` is a regular file of at most `limit` bytes, without opening it.
    static func check(_ path: String, limit: Int64) throws -> stat {
        var info = stat()
        guard FileName.withFileSystemPath(path, { stat($0, &info) }) == 0 else {
            throw LoaderError.unreadable(file: path, reason: DocumentLoader.errnoText())
        }
        try admit(info, path: path, limit: limit)
        return info
    }

    /// The whole file, read in pieces of at most `limit + 1` bytes in all.
    static func readAll(_ path: String, limit: Int64) throws -> Data {
        try withOpened(path, limit: limit) { descriptor, size in
            var data = Data(capacity: Int(min(size, limit) + 1))
            try readPieces(descriptor, path: path, limit: limit) { data.append($0) }
            return data
        }
    }

    /// SHA-256 of the file's bytes, streamed: memory stays at one piece whatever the size.
    static func sha256(_ path: String, limit: Int64) throws -> String {
        try withOpened(path, limit: limit) { descriptor, _ in
            var hash = ContentHash()
            try readPieces(descriptor, path: path, limit: limit) { hash.update($0) }
            return hash.hexDigest()
        }
    }

    /// Runs `body` with a descriptor open on `path` after steps 1–3 (closed afterwards), and the
    /// file's size as `fstat` gives it.
    static func withOpened<T>(_ path: String, limit: Int64, _ body: (Int32, Int64) throws -> T) throws -> T {
        _ = try check(path, limit: limit)
        return try withDescriptor(path, limit: limit, body)
    }

    /// Steps 2 and 3 alone: what still refuses a path swapped for a FIFO or device after step 1.
    static func withDescriptor<T>(_ path: String, limit: Int64, _ body: (Int32, Int64) throws -> T) throws -> T {
        let descriptor = FileName.withFileSystemPath(path) { open($0, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) }
        guard descriptor >= 0 else { throw LoaderError.unreadable(file: path, reason: DocumentLoader.errnoText()) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw LoaderError.unreadable(file: path, reason: DocumentLoader.errnoText()) }
        try admit(info, path: path, limit: limit)
        // A regular file never blocks; reads go back to blocking so a slow disk is not an EAGAIN.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        return try body(descriptor, Int64(info.st_size))
    }

    /// Reads `descriptor` to its end in pieces, refusing once more than `limit` bytes came.
    static func readPieces(_ descriptor: Int32, path: String, limit: Int64, _ take: (Data) -> Void) throws {
        var buffer = [UInt8](repeating: 0, count: pieceBytes)
        var total: Int64 = 0
        while true {
            // Never ask for more than one byte past the limit: that byte is the proof it grew.
            let wanted = Int(min(Int64(buffer.count), limit + 1 - total))
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, wanted) }
            if count < 0 {
                if errno == EINTR { continue }
                throw LoaderError.unreadable(file: path, reason: DocumentLoader.errnoText())
            }
            if count == 0 { return }
            total += Int64(count)
            if total > limit { throw LoaderError.grewAboveLimit(file: path, limit: limit) }
            take(Data(buffer[0..<count]))
        }
    }

    /// Refuses what is not a regular file, or is larger than `limit`.
    private static func admit(_ info: stat, path: String, limit: Int64) throws {
        if let kind = kind(of: info.st_mode) { throw LoaderError.notRegularFile(file: path, kind: kind) }
        if Int64(info.st_size) > limit { throw LoaderError.tooLarge(file: path, size: Int64(info.st_size), limit: limit) }
    }

    /// What a `st_mode` that is not a regular file is, in words; nil for a regular file.
    static func kind(of mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a folder"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFIFO: return "a named pipe (FIFO)"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "an unknown kind of file (mode \(String(mode, radix: 8)))"
        }
    }
}
