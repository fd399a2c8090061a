/// How a linear layer's weights are held and multiplied.
public enum LinearPrecision: String, Sendable, CaseIterable, Codable {
    /// float32 weights and activations: exact (the reference). ``F32Weight``'s packed kernel
    /// where the CPU has AVX-512, else OpenBLAS sgemm.
    case fp32
    /// int8 weights (per row, groups of 64 along k) and int8 activations (per token row): ``Int8Weight``.
    case int8
    /// bfloat16 weights and activations, float32 sums: ``BF16Weight``.
    case bf16
}

/// A linear layer `y = x · Wᵀ + b` (W is [out, in], PyTorch's layout) in one ``LinearPrecision``.
///
/// The model code calls it without knowing how the product is computed; fp32 is ``F32Weight``'s
/// packed AVX-512 kernel, or without AVX-512 the plain sgemm of ``multiply(_:transposing:bias:)``
/// and ``addProduct(_:transposing:bias:into:)``.
public struct LinearLayer: Sendable {
    enum Weight: Sendable {
        case fp32(Matrix)
        case fp32Packed(F32Weight)
        case int8(Int8Weight)
        case bf16(BF16Weight)
    }

    let weight: Weight
    /// [out]
    public let bias: [Float]
    /// Output features.
    public let outputs: Int

    /// `weight` [out, in] and `bias` [out], converted to `precision` (int8 needs `in` a multiple
    /// of 64, bf16 an even `in`: ``supports(_:inputs:)``).
    public init(weight: Matrix, bias: [Float], precision: LinearPrecision) {
        switch precision {
        case .fp32: self.weight = F32Kernels.level >= 5 ? .fp32Packed(F32Weight(packing: weight)) : .fp32(weight)
        case .int8: self.weight = .int8(Int8Weight(quantizing: weight))
        case .bf16: self.weight = .bf16(BF16Weight(rounding: weight))
        }
        self.bias = bias
        outputs = weight.rows
    }

    /// Whether `precision` can hold a layer of `inputs` input features.
    public static func supports(_ precision: LinearPrecision, inputs: Int) -> Bool {
        switch precision {
        case .fp32: true
        case .int8: inputs % Int8Weight.groupSize == 0
        case .bf16: inputs % 2 == 0
        }
    }

    /// `x · Wᵀ + b`: [n, in] → [n, out]. `parallel` lets the quantised products split W's rows
    /// between threads (sgemm keeps to the thread count OpenBLAS is set to).
    public func callAsFunction(_ x: Matrix, parallel: Bool) -> Matrix {
        switch weight {
        case .fp32(let w): multiply(x, transposing: w, bias: bias)
        case .fp32Packed(let w): w.multiply(x, bias: bias, parallel: parallel)
        case .int8(let w): w.multiply(x, bias: bias, parallel: parallel)
        case .bf16(let w): w.multiply(x, bias: bias, parallel: parallel)
        }
    }

    /// `gelu(x · Wᵀ + b)`, BERT's feed-forward inner layer: with the packed fp32 kernel GELU runs on
    /// the sums before they are stored (one pass over the [n, out] result instead of two; the same
    /// bits), otherwise ``geluRows(_:parallel:)`` after the product.
    public func geluOfProduct(_ x: Matrix, parallel: Bool) -> Matrix {
        if case .fp32Packed(let w) = weight { return w.multiplyGELU(x, bias: bias, parallel: parallel) }
        var y = self(x, parallel: parallel)
        geluRows(&y, parallel: parallel)
        return y
    }

    /// `y += x · Wᵀ + b`: a linear layer whose output joins a residual stream in place.
    public func addProduct(_ x: Matrix, into y: inout Matrix, parallel: Bool) {
        switch weight {
        case .fp32(let w): Tensors.addProduct(x, transposing: w, bias: bias, into: &y)
        case .fp32Packed(let w): w.addProduct(x, bias: bias, into: &y, parallel: parallel)
        case .int8(let w): w.addProduct(x, bias: bias, into: &y, parallel: parallel)
        case .bf16(let w): w.addProduct(x, bias: bias, into: &y, parallel: parallel)
        }
    }
}

/// A weight packed for one of the encoder's C kernels (``Int8Weight``, ``BF16Weight``): each
/// computes its product into a buffer, and both are used the same way.
protocol PackedLinearWeight {
    /// Output features.
    var rows: Int { get }
    func run(_ x: Matrix, bias: [Float], into out: UnsafeMutableBufferPointer<Float>, accumulate: Bool, parallel: Bool)
}

extension PackedLinearWeight {
    /// `x · Wᵀ + bias`: x is [n, columns], the result [n, rows]. `parallel` splits the rows of W
    /// between threads (each output element is still computed by one thread).
    func multiply(_ x: Matrix, bias: [Float], parallel: Bool) -> Matrix {
        Matrix(rows: x.rows, columns: rows) { out in
            run(x, bias: bias, into: out, accumulate: false, parallel: parallel)
        }
    }

    /// `y += x · Wᵀ + bias` (a residual connection), y is [n, rows].
    func addProduct(_ x: Matrix, bias: [Float], into y: inout Matrix, parallel: Bool) {
        precondition(y.rows == x.rows && y.columns == rows, "addProduct: y is [\(y.rows), \(y.columns)], expected [\(x.rows), \(rows)]")
        y.values.withUnsafeMutableBufferPointer { run(x, bias: bias, into: $0, accumulate: true, parallel: parallel) }
    }
}
