import Tensors

/// Reads a model's tensors by name, checking each one's shape and encoding and remembering every
/// name asked for (so that a file holding tensors the graph would ignore can be refused).
final class TensorReader {
    let file: String
    let lookup: (String) throws -> RawTensor?
    private(set) var consulted = Set<String>()

    init(file: String, lookup: @escaping (String) throws -> RawTensor?) {
        self.file = file
        self.lookup = lookup
    }

    /// The tensor `name` if the file has it, checked to have ggml dimensions `expected`.
    func optional(_ name: String, _ expected: [Int]) throws -> RawTensor? {
        consulted.insert(name)
        guard let t = try lookup(name) else { return nil }
        guard t.dimensions == expected else {
            throw LlamaDecoderError.tensorShape(file: file, tensor: name, expected: expected, found: t.dimensions)
        }
        return t
    }

    func required(_ name: String, _ expected: [Int]) throws -> RawTensor {
        guard let t = try optional(name, expected) else { throw LlamaDecoderError.missingTensor(file: file, tensor: name) }
        return t
    }

    private func type(of t: RawTensor, _ name: String) throws -> QuantType {
        guard let type = QuantType(rawValue: t.ggmlType), (t.dimensions.first ?? 0) % type.blockSize == 0 else {
            throw LlamaDecoderError.unsupportedTensorType(file: file, tensor: name, type: t.typeName,
                                                          supported: QuantType.allCases.map(\.description).joined(separator: ", "))
        }
        return type
    }

    /// A linear layer's weight [rows, columns] (ggml [columns, rows]) as a view into the file, if present.
    func optionalMatrix(_ name: String, columns: Int, rows: Int) throws -> QuantizedMatrix? {
        guard let t = try optional(name, [columns, rows]) else { return nil }
        let type = try type(of: t, name)
        let needed = rows * type.rowBytes(columns: columns)
        guard t.bytes.count >= needed, let base = t.bytes.baseAddress else {
            throw LlamaDecoderError.tensorShape(file: file, tensor: name + " (bytes)", expected: [needed], found: [t.bytes.count])
        }
        return QuantizedMatrix(rows: rows, columns: columns, type: type, base: base)
    }

    func matrix(_ name: String, columns: Int, rows: Int) throws -> QuantizedMatrix {
        guard let m = try optionalMatrix(name, columns: columns, rows: rows) else { throw LlamaDecoderError.missingTensor(file: file, tensor: name) }
        return m
    }

    /// A vector (norm weight, bias, frequency factors) of `count` values, copied as float32, if present.
    func optionalVector(_ name: String, _ count: Int) throws -> [Float]? {
        guard let t = try optional(name, [count]) else { return nil }
        let type = try type(of: t, name)
        guard t.bytes.count >= type.rowBytes(columns: count), let base = t.bytes.baseAddress else {
            throw LlamaDecoderError.tensorShape(file: file, tensor: name + " (bytes)", expected: [type.rowBytes(columns: count)], found: [t.bytes.count])
        }
        var out = [Float](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { type.dequantizeRow(base, $0.baseAddress!, count) }
        return out
    }

    func vector(_ name: String, _ count: Int) throws -> [Float] {
        guard let v = try optionalVector(name, count) else { throw LlamaDecoderError.missingTensor(file: file, tensor: name) }
        return v
    }
}

extension QuantizedMatrix {
    /// The rows in `range` as a matrix of their own (a view: a fused tensor's parts).
    func rows(_ range: Range<Int>) -> QuantizedMatrix {
        QuantizedMatrix(rows: range.count, columns: columns, type: type, base: base + range.lowerBound * rowBytes)
    }
}
