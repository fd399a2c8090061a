import CKernels

/// A ggml block encoding whose kernels live in CKernels (dequantise, row · vector), with a Swift
/// scalar twin of the dequantisation that the C paths are tested against.
///
/// Q5_0, Q5_1 and the K-quants conform; each file holds the layout and its scalar twin only.
public protocol BlockEncoding {
    /// ggml's type id (CKernels' `TROVE_*` constant).
    static var ggmlType: Int32 { get }
    /// Weights per block (32, or 256 for the K-quants).
    static var blockSize: Int { get }
    /// Bytes per block.
    static var bytesPerBlock: Int { get }
    /// Dequantises `count` weights (a multiple of ``blockSize``) in plain Swift: the reference.
    static func dequantizeScalar(_ blocks: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int)
}

extension BlockEncoding {
    /// Dequantises `count` weights (a multiple of ``blockSize``) exactly (CKernels: AVX-512,
    /// AVX2 or portable C, as chosen at run time).
    @inlinable
    public static func dequantize(_ blocks: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        trove_dequantize(ggmlType, blocks, output, Int32(count))
    }

    /// `Σ_i w_i · x_i` over one row of `count` weights read straight from the blocks (CKernels):
    /// Σ over groups of (d·s)·Σ q·x − (dmin·m)·Σ x, the exact dequantisation distributed over the
    /// sum, so it differs from dequantise-then-dot only in float32 rounding (~1e-6 relative).
    @inlinable
    public static func dot(_ blocks: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var y: Float = 0
        trove_matvec(ggmlType, blocks, 0, Int32(count), x, &y, 0, 1)
        return y
    }

    /// The scalar twin of ``dot(_:_:count:)``: the scalar dequantisation, then a sequential sum.
    public static func dotScalar(_ blocks: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var row = [Float](repeating: 0, count: count)
        row.withUnsafeMutableBufferPointer { dequantizeScalar(blocks, into: $0.baseAddress!, count: count) }
        var sum: Float = 0
        for i in 0 ..< count { sum += row[i] * x[i] }
        return sum
    }
}

/// The byte at `offset` of a block.
@inlinable @inline(__always)
func byte(_ block: UnsafeRawPointer, _ offset: Int) -> Int { Int(block.load(fromByteOffset: offset, as: UInt8.self)) }
