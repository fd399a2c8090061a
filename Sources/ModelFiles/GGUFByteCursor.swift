/// A forward cursor over a mapped GGUF file: little-endian scalars and length-prefixed strings,
/// every read checked against the end of the file.
///
/// `what` is an autoclosure so that the hot path (100k vocabulary strings) builds no message;
/// only a failing read formats the item it was reading.
struct GGUFByteCursor {
    let file: MappedFile
    private(set) var offset: Int

    init(file: MappedFile, offset: Int = 0) {
        self.file = file
        self.offset = offset
    }

    var remaining: Int { file.count - offset }

    /// Throws `outOfBounds` naming `what` unless `length` bytes remain.
    func require(_ length: Int, _ what: @autoclosure () -> String) throws {
        guard length >= 0, length <= remaining else {
            throw ModelFileError.outOfBounds(file: file.path, item: what(), offset: offset, length: length, fileSize: file.count)
        }
    }

    mutating func integer<T: FixedWidthInteger>(_ type: T.Type, _ what: @autoclosure () -> String) throws -> T {
        try require(MemoryLayout<T>.size, what())
        let value = T(littleEndian: file.bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += MemoryLayout<T>.size
        return value
    }

    /// A GGUF string: u64 byte length, then that many UTF-8 bytes (invalid UTF-8 is replaced with
    /// U+FFFD rather than refused; vocabularies are checked where they are used).
    mutating func string(_ what: @autoclosure () -> String) throws -> String {
        let length = try integer(UInt64.self, what())
        guard length <= UInt64(remaining) else {
            throw ModelFileError.corruptHeader(file: file.path, reason: "\(what()): string length \(length) runs past the end of the file (\(remaining) bytes left at offset \(offset))")
        }
        let count = Int(length)
        let bytes = UnsafeRawBufferPointer(rebasing: file.bytes[offset ..< offset + count])
        offset += count
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A count (u64) of items that each take at least `minimumSize` bytes, refused if the rest of
    /// the file cannot hold them: a corrupt count must fail here, not allocate terabytes.
    mutating func count(of what: @autoclosure () -> String, minimumSize: Int) throws -> Int {
        let value = try integer(UInt64.self, "\(what()) count")
        guard value <= UInt64(remaining / max(minimumSize, 1)) else {
            throw ModelFileError.corruptHeader(file: file.path, reason: "\(what()) count \(value) cannot fit in the \(remaining) bytes left at offset \(offset)")
        }
        return Int(value)
    }

    /// One metadata value of type `type`; arrays recurse (GGUF allows arrays of arrays).
    mutating func value(of type: GGUFValueType, _ what: @autoclosure () -> String, depth: Int = 0) throws -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try integer(UInt8.self, what()))
        case .int8: return .int8(try integer(Int8.self, what()))
        case .uint16: return .uint16(try integer(UInt16.self, what()))
        case .int16: return .int16(try integer(Int16.self, what()))
        case .uint32: return .uint32(try integer(UInt32.self, what()))
        case .int32: return .int32(try integer(Int32.self, what()))
        case .uint64: return .uint64(try integer(UInt64.self, what()))
        case .int64: return .int64(try integer(Int64.self, what()))
        case .float32: return .float32(Float(bitPattern: try integer(UInt32.self, what())))
        case .float64: return .float64(Double(bitPattern: try integer(UInt64.self, what())))
        case .bool:
            let byte = try integer(UInt8.self, what())
            guard byte <= 1 else {
                throw ModelFileError.corruptHeader(file: file.path, reason: "\(what()): bool byte is \(byte), expected 0 or 1")
            }
            return .bool(byte == 1)
        case .string: return .string(try string(what()))
        case .array:
            guard depth < 8 else {
                throw ModelFileError.corruptHeader(file: file.path, reason: "\(what()): arrays nested more than 8 deep")
            }
            let rawType = try integer(UInt32.self, "\(what()) element type")
            guard let elementType = GGUFValueType(rawValue: rawType) else {
                throw ModelFileError.corruptHeader(file: file.path, reason: "\(what()): unknown array element type id \(rawType)")
            }
            let n = try count(of: "\(what()) array", minimumSize: elementType.minimumEncodedSize)
            var values: [GGUFValue] = []
            values.reserveCapacity(n)
            for index in 0 ..< n {
                values.append(try value(of: elementType, "\(what())[\(index)]", depth: depth + 1))
            }
            return .array(elementType: elementType, values: values)
        }
    }
}
