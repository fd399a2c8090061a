/// The element types a safetensors header may name, with their sizes in bytes.
public enum SafetensorsDType: String, Sendable, CaseIterable {
    case f64 = "F64", f32 = "F32", f16 = "F16", bf16 = "BF16"
    case i64 = "I64", i32 = "I32", i16 = "I16", i8 = "I8"
    case u64 = "U64", u32 = "U32", u16 = "U16", u8 = "U8"
    case bool = "BOOL"
    case f8e4m3 = "F8_E4M3", f8e5m2 = "F8_E5M2"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .f64, .i64, .u64: return 8
        case .f32, .i32, .u32: return 4
        case .f16, .bf16, .i16, .u16: return 2
        case .i8, .u8, .bool, .f8e4m3, .f8e5m2: return 1
        }
    }
}

/// One tensor of a safetensors header, already validated against the file.
public struct SafetensorsTensor: Sendable, Equatable {
    /// The tensor's name, e.g. `encoder.layer.0.attention.self.query.weight`.
    public let name: String
    /// Its element type.
    public let dtype: SafetensorsDType
    /// Its shape, outermost dimension first (PyTorch order: a linear weight is [out, in]).
    public let shape: [Int]
    /// Offset of its first byte from the start of the data section.
    public let dataOffset: Int
    /// Its size in bytes (`elementCount × dtype.size`).
    public let byteCount: Int

    /// `product(shape)`.
    public var elementCount: Int { shape.reduce(1, *) }
}
