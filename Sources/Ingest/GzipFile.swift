import Foundation
import SystemZlib

/// `.gz` files (RFC 1952), as Debian ships its man pages and many documents
/// (`/usr/share/man/man1/ls.1.gz`, `/usr/share/doc/*/README.gz`): the file is read as the format
/// of its name without `.gz` (``DocumentLoader/format(of:)``), from its decompressed bytes.
///
/// The decompressed bytes are held to the limit for text (a gzip bomb costs at most that much
/// memory), and every member of a multi-member file is read, as `gzip -d` does.
enum GzipFile {
    /// Whether `file` is read through gzip: its extension is `gz` (any case).
    static func isGzip(_ file: URL) -> Bool { file.pathExtension.lowercased() == "gz" }

    /// The decompressed bytes of `compressed`, the contents of `file`; throws
    /// ``LoaderError/corruptGzip(file:problem:)`` for data that is not gzip or is damaged, and
    /// ``LoaderError/decompressedTooLarge(file:part:limit:)`` past `limit` bytes.
    static func inflate(_ compressed: Data, file: String, limit: Int64) throws -> Data {
        guard compressed.count >= 2, compressed[compressed.startIndex] == 0x1f, compressed[compressed.startIndex + 1] == 0x8b else {
            throw LoaderError.corruptGzip(file: file, problem: "not gzip data (no 1f 8b signature)")
        }
        var output = Data()
        var stream = z_stream()
        guard trove_inflate_init_gzip(&stream) == Z_OK else {
            throw LoaderError.corruptGzip(file: file, problem: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        let pieceBytes = 64 << 10
        var piece = [UInt8](repeating: 0, count: pieceBytes)
        try compressed.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(input.count)
            // Every turn consumes input, produces output, or ends: the loop stops.
            while true {
                let status = piece.withUnsafeMutableBytes { out -> Int32 in
                    stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = uInt(out.count)
                    return SystemZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = pieceBytes - Int(stream.avail_out)
                guard Int64(output.count + produced) <= limit else {
                    throw LoaderError.decompressedTooLarge(file: file, part: URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent, limit: limit)
                }
                output.append(contentsOf: piece[0 ..< produced])
                switch status {
                case Z_STREAM_END:
                    // Another member may follow (`cat a.gz b.gz`); trailing zero padding is no member.
                    let rest = UnsafeRawBufferPointer(start: stream.next_in, count: Int(stream.avail_in))
                    if rest.allSatisfy({ $0 == 0 }) { return }
                    guard inflateReset(&stream) == Z_OK else {
                        throw LoaderError.corruptGzip(file: file, problem: "zlib could not start the next gzip member")
                    }
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw LoaderError.corruptGzip(file: file, problem: "truncated gzip data: the stream does not end")
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    throw LoaderError.corruptGzip(file: file, problem: "damaged gzip data: \(message)")
                }
            }
        }
        return output
    }
}
