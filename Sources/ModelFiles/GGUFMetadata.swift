/// The value types a GGUF metadata entry can hold, with their on-disk ids (GGUF v2/v3 spec,
/// `gguf_type` in ggml's gguf.h).
public enum GGUFValueType: UInt32, Sendable, CaseIterable {
    case uint8 = 0, int8 = 1, uint16 = 2, int16 = 3, uint32 = 4, int32 = 5, float32 = 6
    case bool = 7, string = 8, array = 9, uint64 = 10, int64 = 11, float64 = 12

    /// The spec's name, for error messages (`uint32`, `string`, `array`, …).
    public var name: String { "\(self)" }

    /// The fewest bytes one value of this type occupies on disk. Used to refuse a corrupt count
    /// before allocating: a string is at least its 8-byte length, an array its type and count.
    var minimumEncodedSize: Int {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64, .string: return 8
        case .array: return 12
        }
    }
}

/// One GGUF metadata value. Arrays keep their element type, so an empty array is still typed,
/// and may nest (`array` of `array`).
public enum GGUFValue: Sendable, Equatable {
    /// Integers of each width, floats, bools and UTF-8 strings, as stored.
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16)
    case uint32(UInt32), int32(Int32), uint64(UInt64), int64(Int64)
    case float32(Float), float64(Double)
    case bool(Bool)
    case string(String)
    /// An array: its element type (kept even when empty) and elements.
    case array(elementType: GGUFValueType, values: [GGUFValue])

    /// The on-disk type of this value.
    public var type: GGUFValueType {
        switch self {
        case .uint8: return .uint8
        case .int8: return .int8
        case .uint16: return .uint16
        case .int16: return .int16
        case .uint32: return .uint32
        case .int32: return .int32
        case .uint64: return .uint64
        case .int64: return .int64
        case .float32: return .float32
        case .float64: return .float64
        case .bool: return .bool
        case .string: return .string
        case .array: return .array
        }
    }

    /// The type for error messages: `uint32`, `string`, `array of int32`.
    public var typeDescription: String {
        if case let .array(elementType, _) = self { return "array of \(elementType.name)" }
        return type.name
    }

    /// Any integer value as `Int`, if it is an integer that fits; nil otherwise.
    public var integerValue: Int? {
        switch self {
        case let .uint8(v): return Int(v)
        case let .int8(v): return Int(v)
        case let .uint16(v): return Int(v)
        case let .int16(v): return Int(v)
        case let .uint32(v): return Int(v)
        case let .int32(v): return Int(v)
        case let .uint64(v): return Int(exactly: v)
        case let .int64(v): return Int(v)
        default: return nil
        }
    }

    /// A float32 or float64 value as `Double`; nil for other types (integers are not floats here,
    /// as in llama.cpp, which refuses a key of the wrong type).
    public var floatingValue: Double? {
        switch self {
        case let .float32(v): return Double(v)
        case let .float64(v): return v
        default: return nil
        }
    }

    /// The string, if this is a string.
    public var stringValue: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    /// The boolean, if this is a bool.
    public var boolValue: Bool? {
        if case let .bool(b) = self { return b }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValues: [GGUFValue]? {
        if case let .array(_, values) = self { return values }
        return nil
    }
}

extension GGUFValue: CustomStringConvertible {
    /// A short rendering for logs and `trove doctor`: arrays show their length and first items.
    public var description: String {
        switch self {
        case let .string(s): return s.count > 80 ? "\"\(s.prefix(80))…\"" : "\"\(s)\""
        case let .array(elementType, values):
            let head = values.prefix(4).map(\.description).joined(separator: ", ")
            return "[\(elementType.name) × \(values.count): \(head)\(values.count > 4 ? ", …" : "")]"
        case let .bool(b): return "\(b)"
        case let .float32(v): return "\(v)"
        case let .float64(v): return "\(v)"
        case let .uint64(v): return "\(v)"
        default: return integerValue.map(String.init) ?? "?"
        }
    }
}
