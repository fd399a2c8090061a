import CKernels

/// How activations meet quantized weights in the decoder's products.
public enum ActivationPrecision: Sendable, CustomStringConvertible {
    /// float32 activations times exactly dequantised weights: the model as its file defines it
    /// (what the reference comparisons check, on llama.cpp's exact dequantisation).
    case float32
    /// Activations rounded to 8 bits (Q8_K, once per product) wherever the weight has integer
    /// kernels (the K-quants), as llama.cpp itself runs them: 2–4× faster, and the logits differ
    /// from the exact model's by about what 8-bit activations cost (~1e-2).
    case int8

    public var description: String { self == .float32 ? "float32" : "int8" }
}

/// One activation vector (or a batch of rows) ready for the products of some weights: the
/// floats, and the same values quantised to Q8_K when those weights take them, quantised once for
/// every row and thread of the product.
public struct PreparedActivations: @unchecked Sendable {
    /// Row t's floats start at `floats + t · floatStride`.
    public let floats: UnsafePointer<Float>
    public let floatStride: Int
    /// Row t's Q8_K blocks start at `q8K + t · q8KStride` bytes; nil when not quantised.
    public let q8K: UnsafeRawPointer?
    public let q8KStride: Int
}

/// Quantises activations for the integer products into storage it keeps (grown as needed); one
/// per model. A prepared value is valid until the next `prepare` call.
public final class ActivationQuantizer: @unchecked Sendable {
    /// Whether `prepare` quantises at all (``ActivationPrecision/float32``: never).
    public var precision: ActivationPrecision
    private var storage: UnsafeMutableRawPointer?
    private var capacity = 0

    public init(precision: ActivationPrecision = .int8) { self.precision = precision }
    deinit { storage?.deallocate() }

    /// `tokens` rows of `count` floats (`stride` apart) prepared for products with `weights`:
    /// quantised to Q8_K (rows in parallel) when the precision is int8, `count` is whole 256-blocks
    /// and one of the weights has Q8_K kernels; otherwise only the floats.
    public func prepare(_ x: UnsafePointer<Float>, count: Int, tokens: Int = 1, stride: Int? = nil,
                        for weights: QuantizedMatrix...) -> PreparedActivations {
        let stride = stride ?? count
        guard precision == .int8, count % Q8_K.blockSize == 0, weights.contains(where: { Q8_K.hasKernels($0.type) }) else {
            return PreparedActivations(floats: x, floatStride: stride, q8K: nil, q8KStride: 0)
        }
        let rowBytes = count / Q8_K.blockSize * Q8_K.bytesPerBlock
        if capacity < rowBytes * tokens {
            storage?.deallocate()
            capacity = rowBytes * tokens
            storage = .allocate(byteCount: capacity, alignment: 64)
        }
        let out = storage!
        if tokens == 1 {
            Q8_K.quantize(x, into: out, count: count)
        } else {
            SpinningWorkers.shared.parallelFor(tokens, minimumPerThread: 8) { rows in
                for t in rows { Q8_K.quantize(x + t * stride, into: out + t * rowBytes, count: count) }
            }
        }
        return PreparedActivations(floats: x, floatStride: stride, q8K: UnsafeRawPointer(out), q8KStride: rowBytes)
    }
}

extension QuantizedMatrix {
    /// `y[r − rows.lowerBound] = W[r] · x` for the rows in `range`, through the integer kernels when
    /// `x` was quantised for this weight, else on the floats (``multiply(_:into:rows:)``).
    @inlinable
    public func multiply(_ x: PreparedActivations, into y: UnsafeMutablePointer<Float>, rows range: Range<Int>) {
        guard !range.isEmpty else { return }
        if let q = x.q8K, Q8_K.hasKernels(type) {
            if let packed = interleaved,
               trove_matvec_q8_K_repacked(Int32(type.rawValue), packed.base, Int32(columns), q, y,
                                          Int32(range.lowerBound), Int32(range.upperBound)) == 0 { return }
            trove_matvec_q8_K(Int32(type.rawValue), base, rowBytes, Int32(columns), q, y, Int32(range.lowerBound), Int32(range.upperBound))
        } else {
            multiply(x.floats, into: y, rows: range)
        }
    }

    /// `out = x · Wᵀ` for `tokens` prepared rows ([tokens, rows], row stride `outStride`), through
    /// the integer kernels when `x` was quantised for this weight (tiles of 2 rows × 4 tokens,
    /// panels of 32 rows split between threads; each element computed exactly as the decode
    /// step's matvec computes it), else ``multiplyBatch(_:xStride:tokens:into:outStride:scratch:)``.
    public func multiplyBatch(_ x: PreparedActivations, tokens: Int, into out: UnsafeMutablePointer<Float>, outStride: Int,
                              scratch: UnsafeMutablePointer<Float>) {
        guard let q = x.q8K, Q8_K.hasKernels(type) else {
            multiplyBatch(x.floats, xStride: x.floatStride, tokens: tokens, into: out, outStride: outStride, scratch: scratch)
            return
        }
        let panels = (rows + 31) / 32
        SpinningWorkers.shared.parallelFor(panels) { range in
            let begin = Int32(range.lowerBound * 32), end = Int32(min(self.rows, range.upperBound * 32))
            if let packed = self.interleaved,
               trove_gemm_q8_K_repacked(Int32(self.type.rawValue), packed.base, Int32(self.columns), q, x.q8KStride, Int32(tokens),
                                        out, Int32(outStride), begin, end) == 0 { return }
            trove_gemm_q8_K(Int32(self.type.rawValue), self.base, self.rowBytes, Int32(self.columns), q, x.q8KStride, Int32(tokens),
                            out, Int32(outStride), begin, end)
        }
    }
}
