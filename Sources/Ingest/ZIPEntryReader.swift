import Foundation
import SystemZlib
#if canImport(Glibc)
import Glibc
#endif

/// Reads one entry of a zip file in pieces, stored or deflated, with every read bounded:
///
/// - input: exactly the entry's compressed size, from its data offset (after the local header:
///   "PK\u{3}\u{4}", +26 name length, +28 extra length, +30 name; APPNOTE 4.3.7), never past it.
///   A deflate stream that has not ended when that input has is damaged, and said so. (ZIPFoundation
///   0.9.20, which Ingest used before, asked for more input until zlib saw the stream's end; on a
///   damaged stream, at the end of the file, it asked forever: a fuzzed .odt hung `trove ingest`,
///   and through the server every ingest after it. Fuzz/Regressions/odt holds that file.)
/// - output: whatever `consume` accepts; ``DocumentArchive`` stops it at its byte budget, so the
///   size an entry declares is never trusted and a zip bomb costs at most the budget.
/// - the CRC-32 of what was read must be the directory's.
enum ZIPEntryReader {
    /// Why an entry could not be read; the string completes "… in 'part'".
    struct Damage: Error {
        let problem: String
    }

    /// Bytes read from the file, and inflated, at a time.
    static let pieceBytes = 1 << 16

    /// Reads `entry` of the zip file open on `descriptor` (`fileSize` bytes), passing each
    /// decompressed piece to `consume`, which may throw to stop.
    static func read(_ entry: ZIPDirectory.Entry, descriptor: Int32, fileSize: Int64,
                     _ consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        let start = try dataOffset(entry, descriptor: descriptor, fileSize: fileSize)
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: pieceBytes, alignment: 16)
        defer { input.deallocate() }
        var crc = crc32(0, nil, 0)
        try withoutActuallyEscaping(consume) { consume in
            let checked: (UnsafeRawBufferPointer) throws -> Void = { piece in
                crc = crc32(crc, piece.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(piece.count))
                try consume(piece)
            }
            var source = Source(descriptor: descriptor, position: start, remaining: entry.compressedSize, buffer: input)
            switch entry.method {
            case 0:
                while let piece = try source.next() { try checked(piece) }
            case 8:
                try inflate(&source, checked)
            default:
                throw Damage(problem: "unsupported compression method \(entry.method)")
            }
        }
        guard crc == uLong(entry.crc32) else { throw Damage(problem: "checksum mismatch") }
    }

    /// Where `entry`'s data starts: after its local header, checked to lie within the file
    /// together with the compressed size the directory gives.
    private static func dataOffset(_ entry: ZIPDirectory.Entry, descriptor: Int32, fileSize: Int64) throws -> Int64 {
        let offset = entry.localHeaderOffset
        guard offset >= 0, offset <= fileSize - 30, let header = ZIPDirectory.read(descriptor, at: offset, count: 30),
              ZIPDirectory.uint32(header, 0) == 0x0403_4B50 else {
            throw Damage(problem: "no local header where the directory says")
        }
        let start = offset + 30 + Int64(ZIPDirectory.uint16(header, 26)) + Int64(ZIPDirectory.uint16(header, 28))
        guard entry.compressedSize >= 0, start <= fileSize, entry.compressedSize <= fileSize - start else {
            throw Damage(problem: "the data runs past the end of the file")
        }
        return start
    }

    /// The entry's compressed bytes, a piece at a time, ending after exactly its compressed size.
    private struct Source {
        let descriptor: Int32
        var position: Int64
        var remaining: Int64
        let buffer: UnsafeMutableRawBufferPointer

        /// The next piece (in `buffer`), or nil once the compressed size has been read.
        mutating func next() throws -> UnsafeRawBufferPointer? {
            guard remaining > 0 else { return nil }
            let count = Int(min(remaining, Int64(buffer.count)))
            let target = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])
            guard ZIPDirectory.read(descriptor, at: position, into: target) == count else {
                throw Damage(problem: "the data cannot be read to its end")
            }
            position += Int64(count)
            remaining -= Int64(count)
            return UnsafeRawBufferPointer(target)
        }
    }

    /// Inflates raw deflate data from `source` until the stream ends. Every turn of the loop
    /// consumes input, produces output or ends it, so it always stops.
    private static func inflate(_ source: inout Source, _ consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        var stream = z_stream()
        guard trove_inflate_init_raw(&stream) == Z_OK else { throw Damage(problem: "zlib could not start inflating") }
        defer { inflateEnd(&stream) }
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: pieceBytes, alignment: 16)
        defer { output.deallocate() }
        while true {
            if stream.avail_in == 0 {
                guard let piece = try source.next() else {
                    throw Damage(problem: "damaged data: the deflate stream does not end within the entry")
                }
                stream.next_in = UnsafeMutablePointer(mutating: piece.baseAddress!.assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(piece.count)
            }
            stream.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(output.count)
            let status = SystemZlib.inflate(&stream, Z_NO_FLUSH)
            let produced = output.count - Int(stream.avail_out)
            if produced > 0 { try consume(UnsafeRawBufferPointer(rebasing: output[0..<produced])) }
            switch status {
            case Z_STREAM_END: return
            case Z_OK: continue
            case Z_BUF_ERROR where stream.avail_in == 0: continue   // wants more input: the next turn reads it
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw Damage(problem: "damaged data: \(message)")
            }
        }
    }
}
