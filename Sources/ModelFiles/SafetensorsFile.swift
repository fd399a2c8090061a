import Foundation

/// A memory-mapped `.safetensors` file: an 8-byte little-endian header length, a JSON header, then
/// the raw tensor bytes (the data section). Format: https://github.com/huggingface/safetensors
///
/// Everything in the header is checked when the file is opened, so a tensor that is later read
/// is known to lie inside the file and to hold exactly `product(shape) × dtype size` bytes:
///
/// ```
/// [u64 n][n bytes of JSON: {"name": {"dtype": "F32", "shape": [384], "data_offsets": [a, b]}, …,
///         "__metadata__": {"format": "pt"}}][data section: tensor bytes at data_offsets]
/// ```
///
/// Example:
/// ```swift
/// let file = try SafetensorsFile(url: folder.appendingPathComponent("model.safetensors"))
/// let bias = try file.floats("pooler.dense.bias", shape: [384])
/// ```
public final class SafetensorsFile: @unchecked Sendable {
    /// The file's path, for error messages.
    public var path: String { file.path }
    /// Every tensor in the header, by name.
    public let tensors: [String: SafetensorsTensor]
    /// The free-form `__metadata__` strings (e.g. `format: pt`), empty if absent.
    public let metadata: [String: String]
    /// The file's size in bytes.
    public var fileSize: Int { file.count }
    /// The header's JSON bytes exactly as stored (a cheap fingerprint of the file's layout).
    public let headerBytes: Data

    private let file: MappedFile
    private let dataStart: Int

    /// Largest header accepted (the format's own reference implementation uses 100 MB).
    static let maximumHeaderLength = 100 << 20

    /// Maps and validates `url`.
    public init(url: URL) throws {
        file = try MappedFile(url: url)
        let path = file.path
        guard file.count >= 8 else {
            throw ModelFileError.corruptHeader(file: path, reason: "the file has \(file.count) bytes, fewer than the 8-byte header length")
        }
        let length64 = try file.load(UInt64.self, at: 0, what: "header length")
        guard length64 <= UInt64(Self.maximumHeaderLength) else {
            throw ModelFileError.corruptHeader(file: path, reason: "header length \(length64) is over the \(Self.maximumHeaderLength)-byte limit")
        }
        let length = Int(length64)
        let json = try file.slice(8, length, what: "JSON header")
        headerBytes = Data(json)
        dataStart = 8 + length

        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: headerBytes)
        } catch {
            throw ModelFileError.corruptHeader(file: path, reason: "the header is not valid JSON (\(length) bytes)")
        }
        guard let entries = object as? [String: Any] else {
            throw ModelFileError.corruptHeader(file: path, reason: "the header is not a JSON object")
        }

        let dataLength = file.count - dataStart
        var tensors: [String: SafetensorsTensor] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in entries {
            if name == "__metadata__" {
                guard let strings = value as? [String: Any] else {
                    throw ModelFileError.corruptHeader(file: path, reason: "__metadata__ is not a JSON object")
                }
                for (key, item) in strings { metadata[key] = (item as? String) ?? "\(item)" }
                continue
            }
            tensors[name] = try Self.parseTensor(name, value, dataLength: dataLength, path: path)
        }
        try Self.checkLayout(tensors.values, dataLength: dataLength, path: path)
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The data section must be exactly the tensors, back to back: sorted by offset, each starts
    /// where the previous one ends, the first at 0 and the last at the end of the file (the format
    /// allows no holes; huggingface/safetensors `validate`). Overlapping `data_offsets` would
    /// give two tensors the same bytes, silently: refused, naming both.
    private static func checkLayout(_ tensors: some Collection<SafetensorsTensor>, dataLength: Int, path: String) throws {
        func describe(_ t: SafetensorsTensor) -> String {
            "tensor '\(t.name)' (data_offsets [\(t.dataOffset), \(t.dataOffset + t.byteCount)])"
        }
        let ordered = tensors.sorted { ($0.dataOffset, $0.byteCount, $0.name) < ($1.dataOffset, $1.byteCount, $1.name) }
        var end = 0
        var previous: SafetensorsTensor?
        for t in ordered {
            if t.dataOffset < end, let previous {
                throw ModelFileError.corruptHeader(file: path, reason: "\(describe(t)) overlaps \(describe(previous))")
            }
            if t.dataOffset > end {
                let after = previous.map { "after \(describe($0))" } ?? "at the start of the data section"
                throw ModelFileError.corruptHeader(file: path, reason: "\(t.dataOffset - end) unused bytes \(after), " +
                    "before \(describe(t)) (the format allows no holes)")
            }
            end = t.dataOffset + t.byteCount
            previous = t
        }
        guard end == dataLength else {
            let after = previous.map { "after \(describe($0))" } ?? "with no tensors"
            throw ModelFileError.corruptHeader(file: path, reason: "\(dataLength - end) unused bytes at the end of the data section \(after) " +
                "(the format allows no holes)")
        }
    }

    /// Checks one header entry: known dtype, non-negative shape, ordered offsets inside the data
    /// section, and a byte count equal to `product(shape) × dtype size`.
    private static func parseTensor(_ name: String, _ value: Any, dataLength: Int, path: String) throws -> SafetensorsTensor {
        func corrupt(_ reason: String) -> ModelFileError {
            .corruptHeader(file: path, reason: "tensor '\(name)': \(reason)")
        }
        guard let entry = value as? [String: Any] else { throw corrupt("entry is not a JSON object") }
        guard let dtypeName = entry["dtype"] as? String else { throw corrupt("no string 'dtype'") }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw ModelFileError.unsupportedTensorType(file: path, tensor: name, type: dtypeName)
        }
        guard let shapeValues = entry["shape"] as? [Any], let shape = integers(shapeValues) else {
            throw corrupt("'shape' is not a list of integers")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw corrupt("shape \(shape) has a negative dimension") }
        guard let offsetValues = entry["data_offsets"] as? [Any], let offsets = integers(offsetValues), offsets.count == 2 else {
            throw corrupt("'data_offsets' is not a pair of integers")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin >= 0, begin <= end else { throw corrupt("data_offsets [\(begin), \(end)] are not ordered") }
        guard end <= dataLength else {
            throw corrupt("data_offsets [\(begin), \(end)] run past the data section of \(dataLength) bytes (truncated file?)")
        }
        var elements = 1
        for dimension in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw corrupt("shape \(shape) overflows") }
            elements = product
        }
        let (expectedBytes, overflow) = elements.multipliedReportingOverflow(by: dtype.size)
        guard !overflow, expectedBytes == end - begin else {
            throw corrupt("shape \(shape) of \(dtypeName) needs \(elements) × \(dtype.size) bytes but data_offsets hold \(end - begin)")
        }
        return SafetensorsTensor(name: name, dtype: dtype, shape: shape, dataOffset: begin, byteCount: end - begin)
    }

    /// JSON numbers as exact integers, or nil if any is not a whole number.
    private static func integers(_ values: [Any]) -> [Int]? {
        var result: [Int] = []
        for value in values {
            guard let number = value as? NSNumber else { return nil }
            let double = number.doubleValue
            guard double == double.rounded(), abs(double) < 9.0e15 else { return nil }
            result.append(number.intValue)
        }
        return result
    }

    /// The tensor called `name`, or an error naming it and the file.
    public func tensor(_ name: String) throws -> SafetensorsTensor {
        guard let tensor = tensors[name] else { throw ModelFileError.missingTensor(file: path, tensor: name) }
        return tensor
    }

    /// The raw bytes of `tensor` (inside the map; valid while this file is alive).
    public func bytes(of tensor: SafetensorsTensor) throws -> UnsafeRawBufferPointer {
        try file.slice(dataStart + tensor.dataOffset, tensor.byteCount, what: "tensor '\(tensor.name)'")
    }

    /// The values of tensor `name` as float32 (F16 and BF16 widened exactly), after checking that
    /// its shape is `shape`. Throws `.tensorShape` naming the tensor on a mismatch, and
    /// `.unsupportedTensorType` for integer and boolean tensors.
    public func floats(_ name: String, shape: [Int]) throws -> [Float] {
        let tensor = try tensor(name)
        guard tensor.shape == shape else {
            throw ModelFileError.tensorShape(file: path, tensor: name, expected: shape, found: tensor.shape)
        }
        let raw = try bytes(of: tensor)
        let count = tensor.elementCount
        switch tensor.dtype {
        case .f32:
            // The file is little-endian, as is every platform Trove runs on: a plain copy.
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                if count > 0 { UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: raw.baseAddress!, byteCount: 4 * count) }
                initialized = count
            }
        case .f16:
            return (0..<count).map { Float(halfBits: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self))) }
        case .bf16:
            return (0..<count).map { Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self))) << 16) }
        default:
            throw ModelFileError.unsupportedTensorType(file: path, tensor: name, type: "\(tensor.dtype.rawValue) (expected a float type)")
        }
    }
}

extension Float {
    /// IEEE 754 binary16 bits widened exactly (subnormals, infinities and NaN included), without
    /// relying on the `Float16` type, which is unavailable on some x86-64 toolchains.
    init(halfBits h: UInt16) {
        let sign = UInt32(h >> 15) << 31
        let exponent = Int((h >> 10) & 0x1F)
        let mantissa = UInt32(h & 0x3FF)
        if exponent == 0x1F {
            self = Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        } else if exponent == 0 {
            // Subnormal or zero: mantissa × 2^-24.
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            self = sign != 0 ? -magnitude : magnitude
        } else {
            self = Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
        }
    }
}
