import Foundation

/// A GGUF (v2 or v3) model file, memory-mapped: its metadata, its tensor table, and the raw
/// blocks of each tensor.
///
/// Layout (ggml docs/gguf.md): magic `GGUF`, u32 version, u64 tensor count, u64 metadata count,
/// the metadata (key, u32 type, value)…, the tensor infos (name, u32 n_dims, u64 ne[n_dims],
/// u32 type, u64 offset)…, padding to `general.alignment` (default 32), then the data section.
/// Everything is little-endian. Every count is checked against the bytes left before anything is
/// allocated and every tensor must lie inside the file, so a truncated or corrupt file is refused
/// with an error naming it and the problem.
///
/// ```swift
/// let gguf = try GGUFFile(url: modelURL)
/// let layers = try gguf.integer("llama.block_count")            // 30
/// let blocks = try gguf.tensorData("blk.0.attn_q.weight")        // raw Q4_1 blocks
/// ```
public final class GGUFFile: @unchecked Sendable {
    /// The file's path, for error messages.
    public let path: String
    /// The format version (2 or 3).
    public let version: UInt32
    /// Every metadata entry by key.
    public let metadata: [String: GGUFValue]
    /// The metadata keys in file order.
    public let metadataKeys: [String]
    /// The tensor table in file order.
    public let tensorInfos: [GGUFTensorInfo]
    /// The data alignment (`general.alignment`, default 32).
    public let alignment: Int
    /// Offset of the data section from the start of the file.
    public let dataOffset: Int

    private let file: MappedFile
    private let tensorIndex: [String: Int]

    /// Maps and parses the file at `url`; throws ``ModelFileError`` if it is not a valid GGUF file.
    public init(url: URL) throws {
        let file = try MappedFile(url: url)
        self.file = file
        path = file.path
        var cursor = GGUFByteCursor(file: file)

        let magic = try cursor.integer(UInt32.self, "GGUF magic")
        guard magic == 0x4655_4747 else { // "GGUF" read little-endian
            let head = file.bytes.prefix(4).map { (32 ..< 127).contains($0) ? String(UnicodeScalar($0)) : String(format: "\\x%02x", $0) }
            throw ModelFileError.badMagic(file: path, expected: "GGUF", found: "\"\(head.joined())\"")
        }
        version = try cursor.integer(UInt32.self, "GGUF version")
        guard version == 2 || version == 3 else {
            throw ModelFileError.unsupportedVersion(file: path, found: Int(version), supported: "2, 3")
        }
        // A tensor info takes at least 8 (name length) + 4 (n_dims) + 4 (type) + 8 (offset) bytes;
        // a metadata entry at least 8 (key length) + 4 (type) + 1 (value).
        let tensorCount = try cursor.integer(UInt64.self, "tensor count")
        let metadataCount = try cursor.count(of: "metadata entry", minimumSize: 13)
        guard tensorCount <= UInt64(cursor.remaining / 24) else {
            throw ModelFileError.corruptHeader(file: path, reason: "tensor count \(tensorCount) cannot fit in a file of \(file.count) bytes")
        }

        var metadata: [String: GGUFValue] = [:]
        var keys: [String] = []
        keys.reserveCapacity(metadataCount)
        for index in 0 ..< metadataCount {
            let key = try cursor.string("metadata key \(index)")
            let rawType = try cursor.integer(UInt32.self, "type of metadata key '\(key)'")
            guard let type = GGUFValueType(rawValue: rawType) else {
                throw ModelFileError.corruptHeader(file: path, reason: "metadata key '\(key)' has unknown value type id \(rawType)")
            }
            guard metadata[key] == nil else {
                throw ModelFileError.corruptHeader(file: path, reason: "metadata key '\(key)' appears twice")
            }
            metadata[key] = try cursor.value(of: type, "metadata key '\(key)'")
            keys.append(key)
        }
        self.metadata = metadata
        metadataKeys = keys

        var alignment = 32
        if let value = metadata["general.alignment"] {
            guard case let .uint32(a) = value, a > 0, a.nonzeroBitCount == 1 else {
                throw ModelFileError.corruptHeader(file: path, reason: "general.alignment is \(value.typeDescription) \(value), expected a uint32 power of two")
            }
            alignment = Int(a)
        }
        self.alignment = alignment

        var infos: [GGUFTensorInfo] = []
        var relative: [(name: String, dimensions: [Int], type: GGUFTensorType, offset: Int, bytes: Int)] = []
        relative.reserveCapacity(Int(tensorCount))
        var index: [String: Int] = [:]
        for number in 0 ..< Int(tensorCount) {
            let name = try cursor.string("name of tensor \(number)")
            let rank = try cursor.integer(UInt32.self, "dimension count of tensor '\(name)'")
            guard (1 ... 4).contains(rank) else {
                throw ModelFileError.corruptHeader(file: path, reason: "tensor '\(name)' has \(rank) dimensions, expected 1 to 4")
            }
            var dimensions: [Int] = []
            var elements = 1
            for axis in 0 ..< Int(rank) {
                let size = try cursor.integer(UInt64.self, "dimension \(axis) of tensor '\(name)'")
                let (product, overflow) = elements.multipliedReportingOverflow(by: Int(clamping: size))
                guard size <= UInt64(Int.max), !overflow else {
                    throw ModelFileError.corruptHeader(file: path, reason: "tensor '\(name)' has absurd dimensions (\(size) at axis \(axis))")
                }
                dimensions.append(Int(size))
                elements = product
            }
            let typeID = try cursor.integer(UInt32.self, "type of tensor '\(name)'")
            guard let type = GGUFTensorType.withID(typeID) else {
                throw ModelFileError.corruptHeader(file: path, reason: "tensor '\(name)' has unknown type id \(typeID)")
            }
            guard type.bytesPerBlock > 0 else {
                throw ModelFileError.unsupportedTensorType(file: path, tensor: name, type: type.name)
            }
            guard let bytes = type.byteCount(elements: elements), dimensions[0] % type.blockSize == 0 else {
                throw ModelFileError.corruptHeader(file: path, reason: "tensor '\(name)' of type \(type.name) has shape \(dimensions), whose rows are not whole blocks of \(type.blockSize)")
            }
            let offset = try cursor.integer(UInt64.self, "data offset of tensor '\(name)'")
            guard offset % UInt64(alignment) == 0, offset <= UInt64(file.count) else {
                throw ModelFileError.corruptHeader(file: path, reason: "tensor '\(name)' has data offset \(offset), which is not a multiple of the alignment \(alignment) inside a file of \(file.count) bytes")
            }
            guard index[name] == nil else {
                throw ModelFileError.corruptHeader(file: path, reason: "tensor '\(name)' appears twice")
            }
            index[name] = number
            relative.append((name, dimensions, type, Int(offset), bytes))
        }

        // The data section starts at the next multiple of the alignment (the file may end there
        // if it has no tensors).
        let headerEnd = cursor.offset
        let dataOffset = (headerEnd + alignment - 1) / alignment * alignment
        self.dataOffset = dataOffset
        for t in relative {
            let start = dataOffset + t.offset
            guard start <= file.count, t.bytes <= file.count - start else {
                throw ModelFileError.outOfBounds(file: path, item: "data of tensor '\(t.name)'", offset: start, length: t.bytes, fileSize: file.count)
            }
            infos.append(GGUFTensorInfo(name: t.name, dimensions: t.dimensions, type: t.type, offset: t.offset, fileOffset: start, byteCount: t.bytes))
        }
        try Self.checkLayout(infos, dataOffset: dataOffset, alignment: alignment, fileSize: file.count, path: path)
        tensorInfos = infos
        tensorIndex = index
    }

    /// The data section must be exactly the tensors, in offset order, each padded to the
    /// alignment: each tensor's bytes (from its type and shape) end where the next one starts,
    /// give or take padding, and the last one ends where the file does. A tensor whose type or
    /// shape was changed (Q4_1 read as F32 would run into the next tensor's bytes) or whose
    /// offset was moved is refused naming it, with the bytes expected against those found.
    static func checkLayout(_ infos: [GGUFTensorInfo], dataOffset: Int, alignment: Int, fileSize: Int, path: String) throws {
        func aligned(_ n: Int) -> Int { (n + alignment - 1) / alignment * alignment }
        func describe(_ t: GGUFTensorInfo) -> String {
            "tensor '\(t.name)' (\(t.type.name) \(t.dimensions), \(t.byteCount) bytes at data offset \(t.offset))"
        }
        let ordered = infos.sorted { ($0.offset, $0.byteCount) < ($1.offset, $1.byteCount) }
        var end = 0                       // where the data so far ends, padded
        var previous: GGUFTensorInfo?
        for t in ordered {
            if t.offset < end, let previous {
                throw ModelFileError.corruptHeader(file: path, reason: "\(describe(previous)) overlaps \(describe(t)): " +
                    "one of them has a wrong type, shape or offset")
            }
            if t.offset > end {
                let after = previous.map { "after \(describe($0))" } ?? "at the start of the data section"
                throw ModelFileError.corruptHeader(file: path, reason: "\(t.offset - end) unused bytes \(after), before \(describe(t)): " +
                    "a tensor has a wrong type, shape or offset")
            }
            end = aligned(t.offset + t.byteCount)
            previous = t
        }
        // The writer pads the last tensor too (gguf.cpp); accept a file that stops unpadded.
        let dataBytes = fileSize - dataOffset
        if let last = previous, dataBytes > end || dataBytes < last.offset + last.byteCount {
            throw ModelFileError.corruptHeader(file: path, reason: "\(describe(last)) is the last tensor, so the data section should be " +
                "\(last.offset + last.byteCount) to \(end) bytes, but it is \(dataBytes): a tensor has a wrong type, shape or offset")
        }
    }

    /// The table entry of tensor `name`, or ``ModelFileError/missingTensor(file:tensor:)``.
    public func tensorInfo(_ name: String) throws -> GGUFTensorInfo {
        guard let i = tensorIndex[name] else { throw ModelFileError.missingTensor(file: path, tensor: name) }
        return tensorInfos[i]
    }

    /// Whether the file has a tensor called `name` (e.g. `output.weight`, absent when tied).
    public func hasTensor(_ name: String) -> Bool { tensorIndex[name] != nil }

    /// The raw blocks of tensor `name` (``GGUFTensorInfo/byteCount`` bytes), valid while this
    /// object lives. Refuses a tensor whose type Trove cannot read, naming it.
    public func tensorData(_ name: String) throws -> UnsafeRawBufferPointer {
        let info = try tensorInfo(name)
        guard info.type.isSupported else {
            throw ModelFileError.unsupportedTensorType(file: path, tensor: name, type: info.type.name)
        }
        return try file.slice(info.fileOffset, info.byteCount, what: "data of tensor '\(name)'")
    }

    /// `general.architecture` (`llama`, `qwen2`, …).
    public var architecture: String {
        get throws { try string("general.architecture") }
    }
}
