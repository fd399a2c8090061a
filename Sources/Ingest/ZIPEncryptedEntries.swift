import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The names of a zip file's encrypted entries, read from its central directory.
///
/// ZIPFoundation 0.9.20 cannot decrypt, and does not say so: `Entry.init?` returns nil for an
/// entry whose "encrypted" flag is set, which ends the archive's iteration there, so a
/// password-protected document would look like one with its parts missing. Reading the flags here
/// lets the loader say what is really wrong. Layout (PKWARE APPNOTE 6.3.10, 4.3.12 and 4.3.16):
///
///     end of central directory: "PK\u{5}\u{6}", …, +10 entries (u16), +12 size (u32), +16 offset (u32)
///     central directory header: "PK\u{1}\u{2}", …, +8 flags (u16; bit 0 = encrypted),
///                               +28 name length, +30 extra length, +32 comment length, +46 name
///
/// Only what the file shows plainly is reported: a ZIP64 directory (offset or size 0xFFFFFFFF), or
/// a damaged directory, gives no names, and ZIPFoundation then reports the archive's real problem.
/// A file with no end record where the format puts it is no zip at all (nil): said at once, since
/// ZIPFoundation would look for one through the whole file, four bytes at a time.
enum ZIPEncryptedEntries {
    /// The end record sits in the last 22 bytes plus a comment of at most 65,535 bytes.
    static let endSearchBytes: Int64 = 22 + 65_535

    /// Encrypted entries' names, in directory order, of the zip file open on `descriptor`; nil
    /// when the file has no end-of-central-directory record in its last 64 KiB.
    static func names(descriptor: Int32, size: Int64) -> [String]? {
        let tailLength = min(size, endSearchBytes)
        guard tailLength >= 22, let tail = read(descriptor, at: size - tailLength, count: Int(tailLength)),
              let end = lastSignature(0x0605_4B50, in: tail) else { return nil }
        let directorySize = Int64(uint32(tail, end + 12)), directoryOffset = Int64(uint32(tail, end + 16))
        guard directorySize != 0xFFFF_FFFF, directoryOffset != 0xFFFF_FFFF,
              directoryOffset + directorySize <= size,
              let directory = read(descriptor, at: directoryOffset, count: Int(directorySize)) else { return [] }
        var names: [String] = []
        var position = 0
        while position + 46 <= directory.count, uint32(directory, position) == 0x0201_4B50 {
            let flags = uint16(directory, position + 8)
            let nameLength = Int(uint16(directory, position + 28))
            let extraLength = Int(uint16(directory, position + 30)), commentLength = Int(uint16(directory, position + 32))
            guard position + 46 + nameLength <= directory.count else { break }
            if flags & 1 != 0 {
                names.append(String(decoding: directory[(position + 46)..<(position + 46 + nameLength)], as: UTF8.self))
            }
            position += 46 + nameLength + extraLength + commentLength
        }
        return names
    }

    /// `count` bytes at `offset` (`pread`, so the descriptor's position is left alone), or nil.
    private static func read(_ descriptor: Int32, at offset: Int64, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { return nil }
            done += got
        }
        return bytes
    }

    /// The offset of the last little-endian `signature` in `bytes`.
    private static func lastSignature(_ signature: UInt32, in bytes: [UInt8]) -> Int? {
        stride(from: bytes.count - 22, through: 0, by: -1).first { uint32(bytes, $0) == signature }
    }

    private static func uint16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    private static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(uint16(bytes, at)) | UInt32(uint16(bytes, at + 2)) << 16
    }
}
