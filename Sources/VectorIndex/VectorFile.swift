#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A derived, disposable copy of an index's vectors in one flat file beside it
/// (`<index>-vectors`): a ``VectorFileHeader`` then records of [id: Int64, vector: d × float32],
/// ids ascending.
///
/// Why a file of its own: a search must read every vector, and from SQLite that means 1M B-tree
/// rows copied into a 1.5 GB array before the first distance (seconds, and the array in RSS).
/// From this file the scan maps a few megabytes at a time straight from the page cache, so a
/// one-shot search process stays small. SQLite stays the single source of truth: the caller
/// checks the header against the index's counters (schema v4) in a read transaction, appends the
/// rows committed since, or rebuilds; anything it cannot prove current is never searched.
///
/// Crash safety (kill -9 or power loss at any point):
/// - Records below `rowCount` never change once written. An append writes new records past
///   `rowCount`, `fdatasync`s them, then rewrites the header; killed before the header, the new
///   records are ignored bytes that the next append overwrites.
/// - The header carries a checksum, so a torn header reads as "no header" and forces a rebuild.
/// - A rebuild writes `<file>.tmp`, `fsync`s it and renames it over the file: a process that
///   already opened the old file keeps reading the old inode, others see the old or the new file
///   whole. A `.tmp` left by a killed rebuild is truncated by the next one.
/// - Writers hold an exclusive `flock` on the file (reopened if it was renamed over meanwhile),
///   readers need none: what they read is immutable.
public final class VectorFile {
    public let path: String
    let descriptor: Int32
    /// False when the file could only be opened read-only (a read-only folder or file).
    public let isWritable: Bool
    /// The header, when the file has a valid one.
    public private(set) var header: VectorFileHeader?

    private init(path: String, descriptor: Int32, isWritable: Bool) {
        self.path = path
        self.descriptor = descriptor
        self.isWritable = isWritable
        header = Self.readHeader(descriptor)
        // A header whose records are not all in the file (truncated behind our back) is no header:
        // mapping past the end would fault.
        var status = stat()
        if let header, fstat(descriptor, &status) != 0
            || Int(status.st_size) < Self.offset(ofRecord: header.rowCount, recordBytes: header.recordBytes) {
            self.header = nil
        }
    }

    deinit { close(descriptor) }

    /// Opens (creating it empty if needed) and locks the file at `path`: exclusively when it can
    /// be written, shared otherwise. Nil when it can neither be created nor read (a missing file
    /// in a read-only folder): the caller then scans SQLite. The lock is released by ``unlock()``
    /// or when the value is released. With `readOnly` the file is only read (never created).
    public static func openLocked(path: String, readOnly: Bool = false) -> VectorFile? {
        for _ in 0 ..< 100 {
            var writable = !readOnly
            var fd = readOnly ? -1 : open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            if fd < 0 {
                writable = false
                fd = open(path, O_RDONLY | O_CLOEXEC)
                if fd < 0 { return nil }
            }
            guard flock(fd, writable ? LOCK_EX : LOCK_SH) == 0 else { close(fd); return nil }
            // Renamed over by a rebuild while we waited for the lock: lock the new file instead.
            var opened = stat(), current = stat()
            if fstat(fd, &opened) == 0, stat(path, &current) == 0,
               opened.st_ino == current.st_ino, opened.st_dev == current.st_dev {
                return VectorFile(path: path, descriptor: fd, isWritable: writable)
            }
            close(fd)
        }
        return nil
    }

    /// Releases the lock (the file stays open for searching).
    public func unlock() { _ = flock(descriptor, LOCK_UN) }

    private static func readHeader(_ fd: Int32) -> VectorFileHeader? {
        var bytes = [UInt8](repeating: 0, count: VectorFileHeader.size)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, VectorFileHeader.size, 0) }
        guard n == VectorFileHeader.size else { return nil }
        return VectorFileHeader.decode(bytes)
    }

    /// Byte offset of record `r`.
    static func offset(ofRecord r: Int, recordBytes: Int) -> Int { VectorFileHeader.size + r * recordBytes }

    // MARK: Writing

    /// Writes `ids.count` records (values [ids.count, dimension]) at record `row`, past the
    /// header's `rowCount`: invisible until ``commit(_:)`` writes a header that includes them.
    public func writeRecords(at row: Int, dimension: Int, ids: UnsafeBufferPointer<Int64>,
                             values: UnsafeBufferPointer<Float>) throws {
        try Self.writeRecords(descriptor, path: path, at: row, dimension: dimension, ids: ids, values: values)
    }

    static func writeRecords(_ fd: Int32, path: String, at row: Int, dimension: Int,
                             ids: UnsafeBufferPointer<Int64>, values: UnsafeBufferPointer<Float>) throws {
        let recordBytes = 8 + 4 * dimension
        var buffer = [UInt8](repeating: 0, count: ids.count * recordBytes)
        buffer.withUnsafeMutableBytes { raw in
            for r in 0 ..< ids.count {
                raw.storeBytes(of: ids[r].littleEndian, toByteOffset: r * recordBytes, as: Int64.self)
                UnsafeMutableRawPointer(raw.baseAddress! + r * recordBytes + 8)
                    .copyMemory(from: values.baseAddress! + r * dimension, byteCount: 4 * dimension)
            }
        }
        try writeAll(fd, path: path, buffer, at: offset(ofRecord: row, recordBytes: recordBytes))
    }

    /// Makes the records written so far durable, then writes `header`: from now on they are part
    /// of the file.
    public func commit(_ header: VectorFileHeader) throws {
        guard fdatasync(descriptor) == 0 else { throw VectorIndexError.file(path: path, operation: "fdatasync", code: errno) }
        try Self.writeAll(descriptor, path: path, header.encoded(), at: 0)
        self.header = header
    }

    static func writeAll(_ fd: Int32, path: String, _ bytes: [UInt8], at offset: Int) throws {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress! + done, bytes.count - done, off_t(offset + done)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw VectorIndexError.file(path: path, operation: "pwrite", code: n < 0 ? errno : ENOSPC) }
            done += n
        }
    }

    /// Writes a whole new file through `<path>.tmp` and renames it over this one (see the type's
    /// notes). `fill(append)` calls `append(ids, values)` for every record in ascending id order
    /// and returns the header to write (its `rowCount` is set here). Returns the new file, locked.
    public func rebuild(dimension: Int,
                        fill: (_ append: (UnsafeBufferPointer<Int64>, UnsafeBufferPointer<Float>) throws -> Void) throws -> VectorFileHeader)
        throws -> VectorFile {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw VectorIndexError.file(path: temporary, operation: "open", code: errno) }
        var keep = false
        defer { if !keep { close(fd); unlink(temporary) } }
        guard flock(fd, LOCK_EX) == 0 else { throw VectorIndexError.file(path: temporary, operation: "flock", code: errno) }
        var rows = 0
        var header = try fill { ids, values in
            try Self.writeRecords(fd, path: temporary, at: rows, dimension: dimension, ids: ids, values: values)
            rows += ids.count
        }
        header.rowCount = rows
        try Self.writeAll(fd, path: temporary, header.encoded(), at: 0)
        guard fsync(fd) == 0 else { throw VectorIndexError.file(path: temporary, operation: "fsync", code: errno) }
        guard rename(temporary, path) == 0 else { throw VectorIndexError.file(path: path, operation: "rename", code: errno) }
        Self.syncFolder(of: path)
        keep = true
        return VectorFile(path: path, descriptor: fd, isWritable: true)
    }

    /// fsync of the folder, so the rename itself survives a power cut (best effort: some file
    /// systems refuse it, and the old file is still a valid one).
    private static func syncFolder(of path: String) {
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let fd = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_CLOEXEC)
        if fd >= 0 { _ = fsync(fd); close(fd) }
    }

    // MARK: Reading

    /// How many of `ids` are among the first `rowCount` records (a binary search each over the
    /// mapped id column; only the pages touched are read).
    public func countPresent(_ ids: [Int64]) throws -> Int {
        guard let header, header.rowCount > 0, !ids.isEmpty else { return 0 }
        let recordBytes = header.recordBytes
        let length = VectorFile.offset(ofRecord: header.rowCount, recordBytes: recordBytes)
        guard let map = mmap(nil, length, PROT_READ, MAP_SHARED, descriptor, 0), map != MAP_FAILED else {
            throw VectorIndexError.file(path: path, operation: "mmap", code: errno)
        }
        defer { munmap(map, length) }
        let base = UnsafeRawPointer(map)
        func id(_ r: Int) -> Int64 {
            Int64(littleEndian: base.loadUnaligned(fromByteOffset: VectorFile.offset(ofRecord: r, recordBytes: recordBytes), as: Int64.self))
        }
        var present = 0
        for target in ids {
            var low = 0, high = header.rowCount
            while low < high {
                let mid = (low + high) / 2
                if id(mid) < target { low = mid + 1 } else { high = mid }
            }
            if low < header.rowCount, id(low) == target { present += 1 }
        }
        return present
    }
}
