import CKernels

/// The weight encodings the decoder can multiply, with ggml's type ids, as ggml's
/// `type_traits` table: block size, bytes per block, row to float32, row · float32 vector.
///
/// The model code never names an encoding: it asks a weight for its `QuantType` and calls
/// ``dequantizeRow`` or ``dot``. Adding an encoding is one file in Quantized/ (a ``BlockEncoding``
/// with its C kernels in CKernels) plus one case here.
public enum QuantType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case f32 = 0
    case f16 = 1
    case q4_0 = 2
    case q4_1 = 3
    case q5_0 = 6
    case q5_1 = 7
    case q8_0 = 8
    case q2_K = 10
    case q3_K = 11
    case q4_K = 12
    case q5_K = 13
    case q6_K = 14
    case bf16 = 30

    /// ggml's name for the type (`Q4_1`, `F16`, …).
    public var description: String {
        switch self {
        case .f32: return "F32"
        case .f16: return "F16"
        case .q4_0: return "Q4_0"
        case .q4_1: return "Q4_1"
        case .q8_0: return "Q8_0"
        case .bf16: return "BF16"
        default: return encoding.map { "\($0)" } ?? "type \(rawValue)"
        }
    }

    /// Elements per block (1 for plain floats).
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16: return 1
        case .q4_0, .q4_1, .q8_0: return 32
        default: return encoding?.blockSize ?? 1
        }
    }

    /// Bytes per block.
    public var bytesPerBlock: Int {
        switch self {
        case .f32: return 4
        case .f16, .bf16: return 2
        case .q4_0: return Q4_0.bytesPerBlock
        case .q4_1: return Q4_1.bytesPerBlock
        case .q8_0: return Q8_0.bytesPerBlock
        default: return encoding?.bytesPerBlock ?? 0
        }
    }

    /// The encodings whose kernels all live in CKernels (Q5_0, Q5_1, the K-quants), or nil.
    public var encoding: BlockEncoding.Type? {
        switch self {
        case .q5_0: return Q5_0.self
        case .q5_1: return Q5_1.self
        case .q2_K: return Q2_K.self
        case .q3_K: return Q3_K.self
        case .q4_K: return Q4_K.self
        case .q5_K: return Q5_K.self
        case .q6_K: return Q6_K.self
        default: return nil
        }
    }

    /// Whether the CKernels matvec and prefill product read this type's blocks directly.
    public var hasBlockKernels: Bool {
        switch self {
        case .f32, .f16, .bf16: return false
        default: return true
        }
    }

    /// Bytes of one row of `columns` elements (`columns` must be a multiple of ``blockSize``).
    public func rowBytes(columns: Int) -> Int { columns / blockSize * bytesPerBlock }

    /// Converts one row of `count` elements to float32, exactly.
    public var dequantizeRow: @Sendable (UnsafeRawPointer, UnsafeMutablePointer<Float>, Int) -> Void {
        switch self {
        case .f32: return { F32.dequantize($0, into: $1, count: $2) }
        case .f16: return { F16.dequantize($0, into: $1, count: $2) }
        case .bf16: return { BF16.dequantize($0, into: $1, count: $2) }
        case .q4_0: return { Q4_0.dequantize($0, into: $1, count: $2) }
        case .q4_1: return { Q4_1.dequantize($0, into: $1, count: $2) }
        case .q8_0: return { Q8_0.dequantize($0, into: $1, count: $2) }
        default:
            let type = Int32(rawValue)
            return { trove_dequantize(type, $0, $1, Int32($2)) }
        }
    }

    /// `Σ_i w_i · x_i` of one encoded row with a float32 vector of `count` elements.
    public var dot: @Sendable (UnsafeRawPointer, UnsafePointer<Float>, Int) -> Float {
        switch self {
        case .f32: return { F32.dot($0, $1, count: $2) }
        case .f16: return { F16.dot($0, $1, count: $2) }
        case .bf16: return { BF16.dot($0, $1, count: $2) }
        case .q4_0: return { Q4_0.dot($0, $1, count: $2) }
        case .q4_1: return { Q4_1.dot($0, $1, count: $2) }
        case .q8_0: return { Q8_0.dot($0, $1, count: $2) }
        default:
            let type = Int32(rawValue)
            return { row, x, count in
                var y: Float = 0
                trove_matvec(type, row, 0, Int32(count), x, &y, 0, 1)
                return y
            }
        }
    }
}
