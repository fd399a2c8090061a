/// A dense row-major float32 matrix: `rows × columns`, element (r, c) at `values[r * columns + c]`.
///
/// Activations in the encoder and decoder are `Matrix` values of shape [tokens, features].
/// Weights read from model files are also held as `Matrix` (PyTorch and GGUF both store a linear
/// layer's weight as [out, in], row-major), and multiplied with ``multiply(_:transposing:)``.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var values: [Float]

    /// A zero-filled matrix.
    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        self.values = [Float](repeating: 0, count: rows * columns)
    }

    /// A matrix whose values are left for the caller to write, every one of them (the output of a
    /// product, or of attention, that stores each element: no zero-filling pass).
    public init(rows: Int, columns: Int, uninitializedValuesWrittenBy write: (UnsafeMutableBufferPointer<Float>) -> Void) {
        self.rows = rows
        self.columns = columns
        self.values = [Float](unsafeUninitializedCapacity: rows * columns) { buffer, count in
            write(buffer)
            count = rows * columns
        }
    }

    /// A matrix over existing row-major values; `values.count` must equal `rows * columns`.
    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "Matrix(\(rows)×\(columns)) given \(values.count) values")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    public subscript(row: Int, column: Int) -> Float {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// A copy of one row.
    public func row(_ r: Int) -> [Float] {
        Array(values[r * columns ..< (r + 1) * columns])
    }

    /// Calls `body` with a pointer to the first element of row `r` (valid for `columns` floats).
    @inlinable
    public func withRow<R>(_ r: Int, _ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        try values.withUnsafeBufferPointer { try body($0.baseAddress! + r * columns) }
    }

    /// Calls `body` with a mutable pointer to the first element of row `r`.
    @inlinable
    public mutating func withMutableRow<R>(_ r: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        let columns = self.columns
        return try values.withUnsafeMutableBufferPointer { try body($0.baseAddress! + r * columns) }
    }

    /// Element-wise sum, the residual connection of a transformer layer.
    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns, "adding \(lhs.rows)×\(lhs.columns) to \(rhs.rows)×\(rhs.columns)")
        var out = lhs
        out += rhs
        return out
    }

    public static func += (lhs: inout Matrix, rhs: Matrix) {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns, "adding \(rhs.rows)×\(rhs.columns) to \(lhs.rows)×\(lhs.columns)")
        let count = lhs.values.count
        lhs.values.withUnsafeMutableBufferPointer { l in
            rhs.values.withUnsafeBufferPointer { r in
                addInPlace(l.baseAddress!, r.baseAddress!, count: count)
            }
        }
    }
}

/// `y[i] += x[i]` for `count` floats.
@inlinable
public func addInPlace(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, count: Int) {
    var i = 0
    while i + 8 <= count {
        let a = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
        let b = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(y + i).storeBytes(of: a + b, as: SIMD8<Float>.self)
        i += 8
    }
    while i < count { y[i] += x[i]; i += 1 }
}
