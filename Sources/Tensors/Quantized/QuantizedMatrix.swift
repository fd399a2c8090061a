import CKernels

/// A row-major weight matrix `[rows, columns]` kept in its file encoding (Q4_1, Q8_0, F16, …),
/// read in place from the memory-mapped model file.
///
/// This is a linear layer's weight as GGUF stores it: ggml shape [columns, rows] (ne0 = in
/// features first), i.e. `rows` output features of `columns` inputs, one encoded row each.
public struct QuantizedMatrix: @unchecked Sendable {
    /// Output features.
    public let rows: Int
    /// Input features (a multiple of the type's block size).
    public let columns: Int
    /// The encoding of every row.
    public let type: QuantType
    /// Bytes of one encoded row.
    public let rowBytes: Int
    /// The first byte of row 0 (the mapped file keeps it alive).
    public let base: UnsafeRawPointer
    /// The same rows interleaved for the integer products, when made (``withInterleavedRows()``).
    public internal(set) var interleaved: InterleavedRows?

    /// A view over `rows × columns` encoded weights at `base` (at least `rows · rowBytes` bytes).
    public init(rows: Int, columns: Int, type: QuantType, base: UnsafeRawPointer) {
        self.rows = rows
        self.columns = columns
        self.type = type
        self.rowBytes = type.rowBytes(columns: columns)
        self.base = base
    }

    /// The encoded bytes of row `r`.
    @inlinable
    public func row(_ r: Int) -> UnsafeRawPointer { base + r * rowBytes }

    /// `y[r − rows.lowerBound] = W[r] · x` for the rows in `range`: the decode path's matvec,
    /// reading the blocks directly. x holds `columns` floats.
    @inlinable
    public func multiply(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, rows range: Range<Int>) {
        guard !range.isEmpty else { return }
        if type.hasBlockKernels {
            trove_matvec(Int32(type.rawValue), base, rowBytes, Int32(columns), x, y, Int32(range.lowerBound), Int32(range.upperBound))
        } else {
            let dot = type.dot, n = columns
            for r in range { y[r - range.lowerBound] = dot(row(r), x, n) }
        }
    }

    /// Dequantises the rows in `range` into `output` ([range.count, columns] row-major float32).
    @inlinable
    public func dequantize(rows range: Range<Int>, into output: UnsafeMutablePointer<Float>) {
        let convert = type.dequantizeRow
        for r in range { convert(row(r), output + (r - range.lowerBound) * columns, columns) }
    }

    /// `out = x · Wᵀ`: x is [tokens, columns] (row stride `xStride`), out is [tokens, rows]
    /// (row stride `outStride`). The prefill path: panels of 32 weight rows are dequantised and
    /// multiplied by a register-blocked kernel (CKernels `trove_gemm_quantized`), the panels
    /// split between threads; each output element is one FMA chain over k, so the result does
    /// not depend on the thread count. Encodings without a C kernel go through `scratch`
    /// (rows · columns floats) first.
    public func multiplyBatch(_ x: UnsafePointer<Float>, xStride: Int, tokens: Int,
                              into out: UnsafeMutablePointer<Float>, outStride: Int,
                              scratch: UnsafeMutablePointer<Float>) {
        var source = self
        if type != .f32 && !type.hasBlockKernels {
            let n = columns
            SpinningWorkers.shared.parallelFor(rows, minimumPerThread: 64) { range in
                self.dequantize(rows: range, into: scratch + range.lowerBound * n)
            }
            source = QuantizedMatrix(rows: rows, columns: columns, type: .f32, base: UnsafeRawPointer(scratch))
        }
        let panels = (rows + 31) / 32
        SpinningWorkers.shared.parallelFor(panels) { range in
            trove_gemm_quantized(Int32(source.type.rawValue), source.base, source.rowBytes, Int32(source.columns),
                                 x, Int32(xStride), Int32(tokens), out, Int32(outStride),
                                 Int32(range.lowerBound * 32), Int32(min(source.rows, range.upperBound * 32)))
        }
    }
}

/// Which instruction set the quantized kernels (CKernels) use: chosen once from the CPU.
public enum QuantizedKernels {
    /// 0 portable C, 2 AVX2 + FMA + F16C, 5 AVX-512, 6 AVX-512 with VNNI (the integer products' vpdpwssd).
    public static var level: Int { Int(trove_kernel_level()) }

    /// Forces a level (capped at what the CPU supports); tests use it to check every path.
    public static func force(level: Int) { trove_set_kernel_level(Int32(level)) }
}
