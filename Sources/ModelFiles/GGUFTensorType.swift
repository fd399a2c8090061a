/// A ggml tensor data type: how many values one block holds and how many bytes it takes.
///
/// The table follows ggml's `type_traits` (ggml.c). Every type id ggml has assigned is named, so an
/// error can say "Q4_K" rather than "type 12"; only the layouts Trove can dequantize are
/// ``isSupported``. A tensor of a named but unsupported type still opens (its size is known, so
/// the file can be checked), and ``GGUFFile/tensorData(_:)`` refuses it naming the tensor.
public struct GGUFTensorType: Sendable, Hashable, CustomStringConvertible {
    /// ggml's numeric id (`enum ggml_type`).
    public let id: UInt32
    /// ggml's name (`F32`, `Q4_1`, …).
    public let name: String
    /// Values per block (1 for plain floats and ints, 32 or 256 for quantized types).
    public let blockSize: Int
    /// Bytes per block; 0 for ids ggml has retired, whose layout is unknown here.
    public let bytesPerBlock: Int
    /// Whether Trove reads this type's blocks (F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K–Q6_K).
    public let isSupported: Bool

    /// The name (`Q4_1`).
    public var description: String { name }

    /// The bytes `count` values take, or nil if `count` is not a whole number of blocks, the
    /// layout is unknown, or the size overflows.
    public func byteCount(elements count: Int) -> Int? {
        guard bytesPerBlock > 0, count >= 0, count % blockSize == 0 else { return nil }
        let (bytes, overflow) = (count / blockSize).multipliedReportingOverflow(by: bytesPerBlock)
        return overflow ? nil : bytes
    }

    /// The type with ggml id `id`, or nil if ggml never assigned that id.
    public static func withID(_ id: UInt32) -> GGUFTensorType? {
        guard Int(id) < table.count else { return nil }
        return table[Int(id)]
    }

    public static let f32 = table[0]
    public static let f16 = table[1]
    public static let q4_0 = table[2]
    public static let q4_1 = table[3]
    public static let q8_0 = table[8]
    public static let bf16 = table[30]

    private static func type(_ id: UInt32, _ name: String, _ block: Int, _ bytes: Int, supported: Bool = false) -> GGUFTensorType {
        GGUFTensorType(id: id, name: name, blockSize: block, bytesPerBlock: bytes, isSupported: supported)
    }

    /// Indexed by id. Block layouts (bytes) from ggml-common.h, e.g. Q4_1 = f16 d, f16 m, 16 bytes of
    /// nibbles = 20; Q8_0 = f16 d + 32 int8 = 34; Q4_K = 2·f16 + 12 scale bytes + 128 = 144.
    private static let table: [GGUFTensorType] = [
        type(0, "F32", 1, 4, supported: true),
        type(1, "F16", 1, 2, supported: true),
        type(2, "Q4_0", 32, 18, supported: true),
        type(3, "Q4_1", 32, 20, supported: true),
        type(4, "Q4_2 (removed)", 32, 0),
        type(5, "Q4_3 (removed)", 32, 0),
        type(6, "Q5_0", 32, 22, supported: true),
        type(7, "Q5_1", 32, 24, supported: true),
        type(8, "Q8_0", 32, 34, supported: true),
        type(9, "Q8_1", 32, 36),
        type(10, "Q2_K", 256, 84, supported: true),
        type(11, "Q3_K", 256, 110, supported: true),
        type(12, "Q4_K", 256, 144, supported: true),
        type(13, "Q5_K", 256, 176, supported: true),
        type(14, "Q6_K", 256, 210, supported: true),
        type(15, "Q8_K", 256, 292),
        type(16, "IQ2_XXS", 256, 66),
        type(17, "IQ2_XS", 256, 74),
        type(18, "IQ3_XXS", 256, 98),
        type(19, "IQ1_S", 256, 50),
        type(20, "IQ4_NL", 32, 18),
        type(21, "IQ3_S", 256, 110),
        type(22, "IQ2_S", 256, 82),
        type(23, "IQ4_XS", 256, 136),
        type(24, "I8", 1, 1),
        type(25, "I16", 1, 2),
        type(26, "I32", 1, 4),
        type(27, "I64", 1, 8),
        type(28, "F64", 1, 8),
        type(29, "IQ1_M", 256, 56),
        type(30, "BF16", 1, 2, supported: true),
        type(31, "Q4_0_4_4 (removed)", 32, 0),
        type(32, "Q4_0_4_8 (removed)", 32, 0),
        type(33, "Q4_0_8_8 (removed)", 32, 0),
        type(34, "TQ1_0", 256, 54),
        type(35, "TQ2_0", 256, 66),
        type(36, "IQ4_NL_4_4 (removed)", 32, 0),
        type(37, "IQ4_NL_4_8 (removed)", 32, 0),
        type(38, "IQ4_NL_8_8 (removed)", 32, 0),
        type(39, "MXFP4", 32, 17),
    ]
}

/// One entry of a GGUF file's tensor table.
public struct GGUFTensorInfo: Sendable, Hashable {
    /// The tensor's name (`blk.0.attn_q.weight`).
    public let name: String
    /// Dimensions in ggml order: `ne0` first, the contiguous one. `token_embd.weight` of SmolLM2
    /// is `[576, 49152]`: 49152 rows of 576 values (PyTorch shape (49152, 576)).
    public let dimensions: [Int]
    /// The block type of the data.
    public let type: GGUFTensorType
    /// Offset of the data from the start of the file's data section (as stored in the file).
    public let offset: Int
    /// Offset of the data from the start of the file.
    public let fileOffset: Int
    /// Bytes of data: elements / blockSize × bytesPerBlock.
    public let byteCount: Int

    /// The number of values: the product of the dimensions.
    public var elementCount: Int { dimensions.reduce(1, *) }

    /// Values per row: `ne0`, the contiguous dimension (576 for `blk.0.attn_q.weight`).
    public var rowLength: Int { dimensions[0] }

    /// Rows: the product of the other dimensions (576 for `blk.0.attn_q.weight`, 49152 for `token_embd.weight`).
    public var rowCount: Int { dimensions.dropFirst().reduce(1, *) }

    /// Bytes per row: rowLength / blockSize × bytesPerBlock (360 for a Q4_1 row of 576).
    public var rowByteCount: Int { dimensions[0] / type.blockSize * type.bytesPerBlock }
}
