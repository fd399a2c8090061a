import Foundation

/// Writes small GGUF files for tests: valid ones with any metadata and tensors, and, through the
/// `raw…` escapes and ``GGUFWriter/Tensor/offsetOverride``, deliberately corrupt ones.
///
/// It knows nothing of Trove's reader (this target depends on no module), so the tests check the
/// reader against an independent rendering of the format (ggml docs/gguf.md).
public struct GGUFWriter {
    /// A metadata value, tagged with its GGUF type.
    public indirect enum Value {
        case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16)
        case uint32(UInt32), int32(Int32), uint64(UInt64), int64(Int64)
        case float32(Float), float64(Double), bool(Bool), string(String)
        /// An array whose elements are all of GGUF type id `elementType`.
        case array(elementType: UInt32, [Value])
        /// Only an array's type and count, with no elements: a corrupt count.
        case rawArrayHeader(elementType: UInt32, count: UInt64)
        /// A string header claiming `length` bytes, with none following.
        case rawStringHeader(length: UInt64)
        /// Any type id and raw payload bytes.
        case raw(typeID: UInt32, bytes: [UInt8])

        var typeID: UInt32 {
            switch self {
            case .uint8: 0
            case .int8: 1
            case .uint16: 2
            case .int16: 3
            case .uint32: 4
            case .int32: 5
            case .float32: 6
            case .bool: 7
            case .string, .rawStringHeader: 8
            case .array, .rawArrayHeader: 9
            case .uint64: 10
            case .int64: 11
            case .float64: 12
            case let .raw(typeID, _): typeID
            }
        }
    }

    /// A tensor: name, ggml-order dimensions, ggml type id, and its raw bytes.
    public struct Tensor {
        public var name: String
        public var dimensions: [Int]
        public var typeID: UInt32
        public var bytes: [UInt8]
        /// Written instead of the computed data offset (to point past the end, or misalign).
        public var offsetOverride: UInt64?

        public init(name: String, dimensions: [Int], typeID: UInt32, bytes: [UInt8], offsetOverride: UInt64? = nil) {
            self.name = name
            self.dimensions = dimensions
            self.typeID = typeID
            self.bytes = bytes
            self.offsetOverride = offsetOverride
        }

        /// An F32 tensor holding `values`.
        public static func f32(_ name: String, _ dimensions: [Int], _ values: [Float]) -> Tensor {
            var bytes: [UInt8] = []
            for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
            return Tensor(name: name, dimensions: dimensions, typeID: 0, bytes: bytes)
        }
    }

    public var version: UInt32 = 3
    public var magic: [UInt8] = Array("GGUF".utf8)
    /// Metadata in file order.
    public var metadata: [(String, Value)] = []
    public var tensors: [Tensor] = []
    /// The alignment used to place data; written as `general.alignment` only if set in `metadata`.
    public var alignment = 32

    public init(metadata: [(String, Value)] = [], tensors: [Tensor] = []) {
        self.metadata = metadata
        self.tensors = tensors
        for (key, value) in metadata where key == "general.alignment" {
            if case let .uint32(a) = value { alignment = Int(a) }
        }
    }

    /// The file's bytes.
    public func bytes() -> [UInt8] {
        var out: [UInt8] = magic
        append(version, to: &out)
        append(UInt64(tensors.count), to: &out)
        append(UInt64(metadata.count), to: &out)
        for (key, value) in metadata {
            appendString(key, to: &out)
            append(value.typeID, to: &out)
            appendValue(value, to: &out)
        }
        var offsets: [UInt64] = []
        var next = 0
        for t in tensors {
            offsets.append(UInt64(next))
            next = (next + t.bytes.count + alignment - 1) / alignment * alignment
        }
        for (t, offset) in zip(tensors, offsets) {
            appendString(t.name, to: &out)
            append(UInt32(t.dimensions.count), to: &out)
            for d in t.dimensions { append(UInt64(d), to: &out) }
            append(t.typeID, to: &out)
            append(t.offsetOverride ?? offset, to: &out)
        }
        if !tensors.isEmpty {
            while out.count % alignment != 0 { out.append(0) }
            let dataStart = out.count
            for (t, offset) in zip(tensors, offsets) {
                while out.count < dataStart + Int(offset) { out.append(0) }
                out += t.bytes
            }
        }
        return out
    }

    /// Writes the file into `folder` as `name` and returns its URL.
    public func write(to folder: TemporaryFolder, as name: String = "model.gguf") throws -> URL {
        try folder.write(name, Data(bytes()))
    }

    private func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out += $0 }
    }

    private func appendString(_ s: String, to out: inout [UInt8]) {
        append(UInt64(s.utf8.count), to: &out)
        out += Array(s.utf8)
    }

    private func appendValue(_ value: Value, to out: inout [UInt8]) {
        switch value {
        case let .uint8(v): append(v, to: &out)
        case let .int8(v): append(v, to: &out)
        case let .uint16(v): append(v, to: &out)
        case let .int16(v): append(v, to: &out)
        case let .uint32(v): append(v, to: &out)
        case let .int32(v): append(v, to: &out)
        case let .uint64(v): append(v, to: &out)
        case let .int64(v): append(v, to: &out)
        case let .float32(v): append(v.bitPattern, to: &out)
        case let .float64(v): append(v.bitPattern, to: &out)
        case let .bool(v): out.append(v ? 1 : 0)
        case let .string(s): appendString(s, to: &out)
        case let .array(elementType, values):
            append(elementType, to: &out)
            append(UInt64(values.count), to: &out)
            for v in values { appendValue(v, to: &out) }
        case let .rawArrayHeader(elementType, count):
            append(elementType, to: &out)
            append(count, to: &out)
        case let .rawStringHeader(length):
            append(length, to: &out)
        case let .raw(_, bytes):
            out += bytes
        }
    }
}
