/// Typed metadata accessors: each throws `missingKey` or `wrongValueType` naming the file and key.
extension GGUFFile {
    /// The value of `key`, or ``ModelFileError/missingKey(file:key:)``.
    public func value(_ key: String) throws -> GGUFValue {
        guard let value = metadata[key] else { throw ModelFileError.missingKey(file: path, key: key) }
        return value
    }

    /// Whether the metadata has `key`.
    public func has(_ key: String) -> Bool { metadata[key] != nil }

    /// A string value.
    public func string(_ key: String) throws -> String {
        let v = try value(key)
        guard let s = v.stringValue else { throw wrongType(key, "string", v) }
        return s
    }

    /// Any integer value (uint8 … int64) as `Int`.
    public func integer(_ key: String) throws -> Int {
        let v = try value(key)
        guard let i = v.integerValue else { throw wrongType(key, "an integer", v) }
        return i
    }

    /// A float32 or float64 value.
    public func float(_ key: String) throws -> Float {
        let v = try value(key)
        guard let f = v.floatingValue else { throw wrongType(key, "float32", v) }
        return Float(f)
    }

    /// A bool value.
    public func bool(_ key: String) throws -> Bool {
        let v = try value(key)
        guard let b = v.boolValue else { throw wrongType(key, "bool", v) }
        return b
    }

    /// An array of strings (e.g. `tokenizer.ggml.tokens`, `tokenizer.ggml.merges`).
    public func stringArray(_ key: String) throws -> [String] {
        let v = try value(key)
        guard case let .array(.string, values) = v else { throw wrongType(key, "array of string", v) }
        return values.map { $0.stringValue ?? "" }
    }

    /// An array of any integer type as `Int32` (e.g. `tokenizer.ggml.token_type`); refuses
    /// values that do not fit.
    public func int32Array(_ key: String) throws -> [Int32] {
        let v = try value(key)
        guard case let .array(elementType, values) = v, elementType != .array, elementType != .string else {
            throw wrongType(key, "array of int32", v)
        }
        var result: [Int32] = []
        result.reserveCapacity(values.count)
        for element in values {
            guard let i = element.integerValue, let narrow = Int32(exactly: i) else { throw wrongType(key, "array of int32", v) }
            result.append(narrow)
        }
        return result
    }

    /// An array of float32 or float64 values.
    public func floatArray(_ key: String) throws -> [Float] {
        let v = try value(key)
        guard case let .array(elementType, values) = v, elementType == .float32 || elementType == .float64 else {
            throw wrongType(key, "array of float32", v)
        }
        return values.map { Float($0.floatingValue ?? 0) }
    }

    private func wrongType(_ key: String, _ expected: String, _ found: GGUFValue) -> ModelFileError {
        .wrongValueType(file: path, key: key, expected: expected, found: found.typeDescription)
    }
}
