/// The first 128 bytes of a ``VectorFile``: what the rows after it are a copy of.
///
/// ```
/// offset  bytes  field (little-endian)
///      0      8  magic "TROVEVEC"
///      8      4  format version (1)
///     12      4  dimension d
///     16      8  rowCount: records that belong to the file (bytes after them are ignored)
///     24      8  newestID: the largest chunk id among the records (records ascend by id)
///     32      8  removalBase: vector_removals.seq when the file was built; removals logged
///                after it are left out of every search
///     40      8  countOffset: (insertions − removals) − live rows at build (0 unless a writer
///                replaced rows behind the triggers' back)
///     48      8  insertions, 56: removals: the counters last checked (for `trove stats`-like tools)
///     64     32  identity of the index's vector set (vector_set.identity, ASCII hex)
///     96     24  zero
///    120      8  FNV-1a 64 of bytes 0..<120: a torn or foreign header is never believed
/// then rowCount records of 8 + 4d bytes: chunk id (Int64), d float32 values
/// ```
public struct VectorFileHeader: Equatable, Sendable {
    public static let size = 128
    static let magic: [UInt8] = Array("TROVEVEC".utf8)
    static let formatVersion: UInt32 = 1

    public var dimension: Int
    public var rowCount: Int
    public var newestID: Int64
    public var removalBase: Int64
    public var countOffset: Int64
    public var insertions: Int64
    public var removals: Int64
    public var identity: String

    public init(dimension: Int, rowCount: Int, newestID: Int64, removalBase: Int64, countOffset: Int64,
                insertions: Int64, removals: Int64, identity: String) {
        self.dimension = dimension
        self.rowCount = rowCount
        self.newestID = newestID
        self.removalBase = removalBase
        self.countOffset = countOffset
        self.insertions = insertions
        self.removals = removals
        self.identity = identity
    }

    /// Bytes of one record: the id, then the vector.
    public var recordBytes: Int { 8 + 4 * dimension }

    /// The 128 bytes on disk.
    func encoded() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: Self.size)
        func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
            withUnsafeBytes(of: value.littleEndian) { for (i, b) in $0.enumerated() { bytes[offset + i] = b } }
        }
        bytes.replaceSubrange(0 ..< 8, with: Self.magic)
        put(Self.formatVersion, at: 8)
        put(UInt32(dimension), at: 12)
        put(UInt64(rowCount), at: 16)
        put(newestID, at: 24)
        put(removalBase, at: 32)
        put(countOffset, at: 40)
        put(insertions, at: 48)
        put(removals, at: 56)
        for (i, b) in identity.utf8.prefix(32).enumerated() { bytes[64 + i] = b }
        put(Self.checksum(bytes[0 ..< 120]), at: 120)
        return bytes
    }

    /// The header in `bytes`, or nil when it is not one this build wrote whole (wrong magic,
    /// version or checksum: an empty, torn or foreign file).
    static func decode(_ bytes: [UInt8]) -> VectorFileHeader? {
        guard bytes.count >= size, Array(bytes[0 ..< 8]) == magic else { return nil }
        func get<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
            var value = T.zero
            withUnsafeMutableBytes(of: &value) { for i in 0 ..< MemoryLayout<T>.size { $0[i] = bytes[offset + i] } }
            return T(littleEndian: value)
        }
        guard get(UInt64.self, at: 120) == checksum(bytes[0 ..< 120]),
              get(UInt32.self, at: 8) == formatVersion else { return nil }
        let dimension = Int(get(UInt32.self, at: 12))
        let rows = get(UInt64.self, at: 16)
        guard dimension > 0, rows < UInt64(Int.max / 2) else { return nil }
        let identity = String(decoding: bytes[64 ..< 96].prefix { $0 != 0 }, as: UTF8.self)
        return VectorFileHeader(dimension: dimension, rowCount: Int(rows), newestID: get(Int64.self, at: 24),
                                removalBase: get(Int64.self, at: 32), countOffset: get(Int64.self, at: 40),
                                insertions: get(Int64.self, at: 48), removals: get(Int64.self, at: 56),
                                identity: identity)
    }

    /// FNV-1a, 64-bit.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return hash
    }
}
