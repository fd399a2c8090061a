import Foundation

/// Zip files written byte by byte (PKWARE APPNOTE 6.3.10), for the damage a zip library will not
/// write: a deflate stream that never ends, a ZIP64 directory for small entries, a directory that
/// points past the file.
enum HandWrittenZip {
    struct Entry {
        let path: String
        /// 0 stored, 8 deflated.
        let method: UInt16
        /// The entry's bytes as stored (compressed for method 8).
        let data: Data
        /// What the bytes decompress to, for the CRC-32 in the directory.
        let content: Data
    }

    /// Writes `entries` at `url`. `zip64` gives every size and offset as 0xFFFFFFFF with the real
    /// figures in ZIP64 extra fields and records; `localHeaderShift` moves the offsets the
    /// directory gives for local headers.
    static func write(at url: URL, entries: [Entry], zip64: Bool = false, localHeaderShift: UInt32 = 0) throws {
        var file = Data(), directory = Data()
        for entry in entries {
            let offset = UInt32(file.count), crc = crc32(entry.content)
            let name = Data(entry.path.utf8)
            // Local header: signature, version needed, flags, method, time and date, CRC, sizes, name, no extra.
            file.le(0x0403_4B50 as UInt32); file.le(20 as UInt16); file.le(0 as UInt16); file.le(entry.method); file.le(0 as UInt32)
            file.le(crc); file.le(UInt32(entry.data.count)); file.le(UInt32(entry.content.count))
            file.le(UInt16(name.count)); file.le(0 as UInt16)
            file += name
            file += entry.data
            var wide = Data()
            if zip64 {
                wide.le(1 as UInt16); wide.le(24 as UInt16)
                wide.le(UInt64(entry.content.count)); wide.le(UInt64(entry.data.count)); wide.le(UInt64(offset))
            }
            let small: (Int) -> UInt32 = { zip64 ? 0xFFFF_FFFF : UInt32($0) }
            // Directory header: signature, made by Unix 3.0, needed, flags, method, time and date, CRC,
            // sizes, name/extra/comment lengths, disk, internal and external (a regular file) attributes, offset.
            directory.le(0x0201_4B50 as UInt32); directory.le(0x031E as UInt16); directory.le(zip64 ? 45 : 20 as UInt16)
            directory.le(0 as UInt16); directory.le(entry.method); directory.le(0 as UInt32); directory.le(crc)
            directory.le(small(entry.data.count)); directory.le(small(entry.content.count))
            directory.le(UInt16(name.count)); directory.le(UInt16(wide.count)); directory.le(0 as UInt16)
            directory.le(0 as UInt16); directory.le(0 as UInt16); directory.le(0o100644 << 16 as UInt32)
            directory.le(zip64 ? 0xFFFF_FFFF : offset + localHeaderShift)
            directory += name
            directory += wide
        }
        let directoryOffset = UInt32(file.count)
        file += directory
        if zip64 {
            let record = UInt64(file.count)
            // ZIP64 end record (44 bytes after its size field), its locator, then an end record of 0xFF….
            file.le(0x0606_4B50 as UInt32); file.le(44 as UInt64); file.le(45 as UInt16); file.le(45 as UInt16)
            file.le(0 as UInt32); file.le(0 as UInt32); file.le(UInt64(entries.count)); file.le(UInt64(entries.count))
            file.le(UInt64(directory.count)); file.le(UInt64(directoryOffset))
            file.le(0x0706_4B50 as UInt32); file.le(0 as UInt32); file.le(record); file.le(1 as UInt32)
            file.le(0x0605_4B50 as UInt32); file.le(0 as UInt16); file.le(0 as UInt16); file.le(0xFFFF as UInt16); file.le(0xFFFF as UInt16)
            file.le(0xFFFF_FFFF as UInt32); file.le(0xFFFF_FFFF as UInt32); file.le(0 as UInt16)
        } else {
            file.le(0x0605_4B50 as UInt32); file.le(0 as UInt16); file.le(0 as UInt16)
            file.le(UInt16(entries.count)); file.le(UInt16(entries.count))
            file.le(UInt32(directory.count)); file.le(directoryOffset); file.le(0 as UInt16)
        }
        try file.write(to: url)
    }

    /// CRC-32 (the polynomial 0xEDB88320, reflected), bit by bit: slow and plainly right.
    static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

private extension Data {
    /// Appends `value` little-endian.
    mutating func le<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
