import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A read-only memory map of a whole file, with bounds-checked reads.
///
/// Model files are mapped, not read: the weights stay in the page cache and are shared between
/// processes, and opening a 100 MB file costs microseconds. Every read names the file when it
/// would run past the end, so a truncated file is an error, never a crash.
public final class MappedFile: @unchecked Sendable {
    /// The file's path, for error messages.
    public let path: String
    /// The mapped bytes (empty for an empty file).
    public let bytes: UnsafeRawBufferPointer

    /// Maps `url` read-only.
    public init(url: URL) throws {
        path = url.path
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else {
            throw ModelFileError.unreadable(file: url.path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw ModelFileError.unreadable(file: url.path, reason: String(cString: strerror(errno)))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw ModelFileError.unreadable(file: url.path, reason: "is a folder, not a file")
        }
        let size = Int(info.st_size)
        if size == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw ModelFileError.unreadable(file: url.path, reason: "mmap failed: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }

    /// The file's size in bytes.
    public var count: Int { bytes.count }

    /// The bytes in `offset ..< offset + length`, or an error naming `what` if that range is not in the file.
    public func slice(_ offset: Int, _ length: Int, what: String) throws -> UnsafeRawBufferPointer {
        guard offset >= 0, length >= 0, offset <= count, length <= count - offset else {
            throw ModelFileError.outOfBounds(file: path, item: what, offset: offset, length: length, fileSize: count)
        }
        return UnsafeRawBufferPointer(rebasing: bytes[offset ..< offset + length])
    }

    /// A little-endian integer or float at `offset`.
    public func load<T: FixedWidthInteger>(_ type: T.Type, at offset: Int, what: String) throws -> T {
        let raw = try slice(offset, MemoryLayout<T>.size, what: what)
        return T(littleEndian: raw.loadUnaligned(as: T.self))
    }
}
