import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A zip file's central directory: what each entry is and where its data lies (PKWARE APPNOTE
/// 6.3.10). Layouts, little-endian, offsets in bytes:
///
///     end of central directory (4.3.16): "PK\u{5}\u{6}", +10 entries (u16), +12 size (u32),
///                                        +16 offset (u32); in the last 22 + 65,535 bytes
///     ZIP64 end locator (4.3.15):        "PK\u{6}\u{7}", +8 offset of the ZIP64 end record (u64);
///                                        the 20 bytes before the end record
///     ZIP64 end record (4.3.14):         "PK\u{6}\u{6}", +32 entries, +40 size, +48 offset (u64)
///     central directory header (4.3.12): "PK\u{1}\u{2}", +5 host system (3 = Unix), +8 flags
///                                        (bit 0 encrypted), +10 method, +16 CRC-32, +20 compressed
///                                        size, +24 size, +28 name length, +30 extra length,
///                                        +32 comment length, +38 external attributes (Unix mode
///                                        in the high 16 bits), +42 local header offset, +46 name
///     ZIP64 extra field (4.5.3):         id 0x0001: the 64-bit size, compressed size and offset,
///                                        each present only where the header holds 0xFFFFFFFF
///
/// Everything is checked against the file's size before it is used, so a damaged directory is
/// refused with what is wrong, never followed past the file's end.
struct ZIPDirectory {
    /// One entry of the directory.
    struct Entry {
        /// The entry's name, decoded as UTF-8 (Office and EPUB write ASCII or UTF-8 names).
        let path: String
        /// The "encrypted" flag: the data cannot be read without a password.
        let isEncrypted: Bool
        /// A folder (name ending in "/") or a symbolic link: never read as a part.
        let isFolderOrLink: Bool
        /// 0 stored, 8 deflated (the only methods the document formats use).
        let method: UInt16
        let crc32: UInt32
        let compressedSize: Int64
        let size: Int64
        /// Where the entry's local header starts; its data follows that header.
        let localHeaderOffset: Int64
    }

    /// What is wrong with a file that is not a readable zip.
    enum Problem: Error, Equatable {
        /// No end-of-central-directory record where the format puts it.
        case noEndRecord
        /// The directory is there but cannot be followed; the string says where and how.
        case damaged(String)
    }

    /// The entries in directory order.
    let entries: [Entry]

    /// The end record sits in the last 22 bytes plus a comment of at most 65,535 bytes.
    static let endSearchBytes: Int64 = 22 + 65_535

    /// Reads the directory of the zip file open on `descriptor`, `size` bytes long.
    init(descriptor: Int32, size: Int64) throws(Problem) {
        let tailLength = min(size, Self.endSearchBytes)
        guard tailLength >= 22, let tail = Self.read(descriptor, at: size - tailLength, count: Int(tailLength)),
              let end = Self.lastEndRecord(in: tail) else { throw .noEndRecord }
        var count = Int64(Self.uint16(tail, end + 10))
        var directorySize = Int64(Self.uint32(tail, end + 12)), directoryOffset = Int64(Self.uint32(tail, end + 16))
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // ZIP64: the real figures are in the ZIP64 end record, which the locator points to.
            guard end >= 20, Self.uint32(tail, end - 20) == 0x0706_4B50 else {
                throw .damaged("a ZIP64 directory without its locator")
            }
            let recordOffset = Int64(bitPattern: Self.uint64(tail, end - 20 + 8))
            guard recordOffset >= 0, recordOffset <= size - 56, let record = Self.read(descriptor, at: recordOffset, count: 56),
                  Self.uint32(record, 0) == 0x0606_4B50 else { throw .damaged("the ZIP64 end record is missing") }
            count = Int64(bitPattern: Self.uint64(record, 32))
            directorySize = Int64(bitPattern: Self.uint64(record, 40))
            directoryOffset = Int64(bitPattern: Self.uint64(record, 48))
        }
        guard directorySize >= 0, directoryOffset >= 0, directoryOffset <= size, directorySize <= size - directoryOffset,
              let directory = Self.read(descriptor, at: directoryOffset, count: Int(directorySize)) else {
            throw .damaged("the central directory lies outside the file")
        }
        var entries: [Entry] = []
        var position = 0
        while entries.count < count {
            guard position + 46 <= directory.count, Self.uint32(directory, position) == 0x0201_4B50 else {
                throw .damaged("central directory entry \(entries.count + 1) of \(count) is damaged")
            }
            let nameLength = Int(Self.uint16(directory, position + 28)), extraLength = Int(Self.uint16(directory, position + 30))
            let commentLength = Int(Self.uint16(directory, position + 32))
            let next = position + 46 + nameLength + extraLength + commentLength
            guard next <= directory.count else {
                throw .damaged("central directory entry \(entries.count + 1) of \(count) runs past the directory")
            }
            let name = directory[(position + 46)..<(position + 46 + nameLength)]
            var figures = Self.LargeFigures(size: Int64(Self.uint32(directory, position + 24)),
                                            compressedSize: Int64(Self.uint32(directory, position + 20)),
                                            localHeaderOffset: Int64(Self.uint32(directory, position + 42)))
            figures.readZIP64(from: directory[(position + 46 + nameLength)..<(position + 46 + nameLength + extraLength)])
            let path = String(decoding: name, as: UTF8.self)
            let unixMode = directory[position + 5] == 3 ? Self.uint32(directory, position + 38) >> 16 : 0
            entries.append(Entry(
                path: path,
                isEncrypted: Self.uint16(directory, position + 8) & 1 != 0,
                isFolderOrLink: path.hasSuffix("/") || unixMode & 0o170000 == 0o120000,
                method: Self.uint16(directory, position + 10),
                crc32: Self.uint32(directory, position + 16),
                compressedSize: figures.compressedSize, size: figures.size,
                localHeaderOffset: figures.localHeaderOffset))
            position = next
        }
        self.entries = entries
    }

    /// The three figures a ZIP64 extra field can widen.
    private struct LargeFigures {
        var size: Int64
        var compressedSize: Int64
        var localHeaderOffset: Int64

        /// Replaces the figures held as 0xFFFFFFFF by the ZIP64 field's, in its order.
        mutating func readZIP64(from extra: ArraySlice<UInt8>) {
            var position = extra.startIndex
            while position + 4 <= extra.endIndex {
                let id = ZIPDirectory.uint16(extra, position), length = Int(ZIPDirectory.uint16(extra, position + 2))
                let body = position + 4
                guard body + length <= extra.endIndex else { return }
                if id == 0x0001 {
                    var field = body
                    for keyPath in [\LargeFigures.size, \.compressedSize, \.localHeaderOffset] where self[keyPath: keyPath] == 0xFFFF_FFFF {
                        guard field + 8 <= body + length else { return }
                        self[keyPath: keyPath] = Int64(bitPattern: ZIPDirectory.uint64(extra, field))
                        field += 8
                    }
                    return
                }
                position = body + length
            }
        }
    }

    /// `count` bytes at `offset` (`pread`, so the descriptor's position is left alone), or nil
    /// when the file ends first or cannot be read.
    static func read(_ descriptor: Int32, at offset: Int64, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let done = bytes.withUnsafeMutableBytes { read(descriptor, at: offset, into: $0) }
        return done == count ? bytes : nil
    }

    /// Fills `buffer` from `offset`; the bytes read, fewer at the end of the file, -1 on an error.
    static func read(_ descriptor: Int32, at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var done = 0
        while done < buffer.count {
            let got = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if got < 0 && errno == EINTR { continue }
            if got < 0 { return -1 }
            if got == 0 { break }
            done += got
        }
        return done
    }

    /// The offset of the last end-of-central-directory signature in `bytes`.
    private static func lastEndRecord(in bytes: [UInt8]) -> Int? {
        stride(from: bytes.count - 22, through: 0, by: -1).first { uint32(bytes, $0) == 0x0605_4B50 }
    }

    static func uint16<C: RandomAccessCollection<UInt8>>(_ bytes: C, _ at: C.Index) -> UInt16 where C.Index == Int {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    static func uint32<C: RandomAccessCollection<UInt8>>(_ bytes: C, _ at: C.Index) -> UInt32 where C.Index == Int {
        UInt32(uint16(bytes, at)) | UInt32(uint16(bytes, at + 2)) << 16
    }

    static func uint64<C: RandomAccessCollection<UInt8>>(_ bytes: C, _ at: C.Index) -> UInt64 where C.Index == Int {
        UInt64(uint32(bytes, at)) | UInt64(uint32(bytes, at + 4)) << 32
    }
}
