import Foundation

/// A BERT `vocab.txt`: one word piece per line, the line number (from 0) is its id.
/// Continuation pieces start with `##` (`##ing`).
///
/// Lookups hash raw UTF-8 bytes in an open-addressing table, so matching a piece of a word
/// costs no `String` allocation: WordPiece tries many prefixes per word, and the chunker asks for
/// piece counts of every chunk it considers.
public struct WordPieceVocabulary: Sendable {
    /// Every piece, by id.
    public let pieces: [String]
    /// All pieces' UTF-8 bytes end to end; piece i is `bytes[starts[i] ..< starts[i + 1]]`.
    private let bytes: [UInt8]
    private let starts: [Int32]
    /// Open-addressing slots holding `id + 1` (0 = empty); the count is a power of two.
    private let slots: [Int32]

    /// Reads `url` (vocab.txt). Throws naming the file and line for an empty or repeated entry.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TokenizerError.unreadable(file: url.path, reason: error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TokenizerError.unreadable(file: url.path, reason: "not UTF-8 text")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        if lines.last == "" { lines.removeLast() }
        try self.init(pieces: lines, file: url.path)
    }

    /// A vocabulary over `pieces` (id = index); `file` names the source in errors.
    public init(pieces: [String], file: String) throws {
        guard !pieces.isEmpty else { throw TokenizerError.malformedVocabulary(file: file, line: 1, reason: "the vocabulary is empty") }
        self.pieces = pieces
        var bytes: [UInt8] = []
        var starts: [Int32] = [0]
        for piece in pieces {
            bytes.append(contentsOf: piece.utf8)
            starts.append(Int32(bytes.count))
        }
        self.bytes = bytes
        self.starts = starts
        var capacity = 1
        while capacity < pieces.count * 2 { capacity <<= 1 }
        var slots = [Int32](repeating: 0, count: capacity)
        let mask = capacity - 1
        try bytes.withUnsafeBufferPointer { all in
            for id in pieces.indices {
                let piece = UnsafeBufferPointer(rebasing: all[Int(starts[id]) ..< Int(starts[id + 1])])
                guard !piece.isEmpty else {
                    throw TokenizerError.malformedVocabulary(file: file, line: id + 1, reason: "empty entry")
                }
                var slot = Int(Self.hash(prefix: [], piece)) & mask
                while slots[slot] != 0 {
                    let other = Int(slots[slot]) - 1
                    if all[Int(starts[other]) ..< Int(starts[other + 1])].elementsEqual(piece) {
                        throw TokenizerError.malformedVocabulary(file: file, line: id + 1, reason: "'\(pieces[id])' repeats line \(other + 1)")
                    }
                    slot = (slot + 1) & mask
                }
                slots[slot] = Int32(id + 1)
            }
        }
        self.slots = slots
    }

    /// Number of pieces.
    public var count: Int { pieces.count }

    /// The id of `piece`, if present.
    public func id(of piece: String) -> Int32? {
        var piece = piece
        return piece.withUTF8 { id(of: $0, continuation: false) }
    }

    /// The id of the piece spelled by `utf8` (with a `##` prefix in front when `continuation`).
    @inlinable
    public func id(of utf8: UnsafeBufferPointer<UInt8>, continuation: Bool) -> Int32? {
        lookup(utf8, continuation: continuation)
    }

    @usableFromInline
    func lookup(_ utf8: UnsafeBufferPointer<UInt8>, continuation: Bool) -> Int32? {
        let prefix: [UInt8] = continuation ? Self.continuationPrefix : []
        let mask = slots.count - 1
        var slot = Int(Self.hash(prefix: prefix, utf8)) & mask
        let length = prefix.count + utf8.count
        return bytes.withUnsafeBufferPointer { all in
            slots.withUnsafeBufferPointer { slots in
                while true {
                    let entry = Int(slots[slot])
                    if entry == 0 { return nil }
                    let start = Int(starts[entry - 1]), end = Int(starts[entry])
                    if end - start == length {
                        var equal = true
                        for (k, byte) in prefix.enumerated() where all[start + k] != byte { equal = false }
                        if equal {
                            let body = start + prefix.count
                            for k in 0..<utf8.count where all[body + k] != utf8[k] { equal = false; break }
                        }
                        if equal { return Int32(entry - 1) }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    static let continuationPrefix: [UInt8] = Array("##".utf8)

    /// FNV-1a over `prefix` then `body`.
    @inline(__always)
    static func hash(prefix: [UInt8], _ body: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in prefix { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        for byte in body { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return h ^ (h >> 29)
    }
}
