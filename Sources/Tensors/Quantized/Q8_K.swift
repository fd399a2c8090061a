import CKernels

/// ggml's Q8_K: the activation format of the K-quants' integer products, as llama.cpp uses it at
/// run time. 256 activations in 292 bytes: float d, 256 int8 q, 16 int16 sums of each 16 q;
/// `x ≈ d·q` with d = max/−127 (max the element of largest |x|).
///
/// A K-quant row times Q8_K activations (``dot(_:_:_:count:)``) is computed block by block in
/// integers: `d·d_x·Σ_g s_g·Σ q·q_x − dmin·d_x·Σ_g m_g·bsum_g` (see CKernels' KQuantDotQ8K.c).
public enum Q8_K {
    /// Activations per block.
    public static let blockSize = 256
    /// Bytes per block: 4 (d) + 256 (q) + 32 (bsums).
    public static let bytesPerBlock = Int(TROVE_Q8_K_BLOCK_BYTES)

    /// Whether rows of `type` have integer products with Q8_K activations (the K-quants).
    public static func hasKernels(_ type: QuantType) -> Bool { trove_has_q8_K_kernels(Int32(type.rawValue)) != 0 }

    /// Quantises `count` floats (a multiple of 256) into `out` (count / 256 · 292 bytes), as ggml's
    /// `quantize_row_q8_K_ref` does (CKernels).
    @inlinable
    public static func quantize(_ x: UnsafePointer<Float>, into out: UnsafeMutableRawPointer, count: Int) {
        trove_quantize_q8_K(x, out, Int32(count))
    }

    /// `Σ_i w_i · x_i` of one K-quant row of `count` weights with activations quantised by
    /// ``quantize(_:into:count:)`` (CKernels: VNNI, AVX-512, AVX2 or portable C).
    @inlinable
    public static func dot(_ type: QuantType, _ row: UnsafeRawPointer, _ xq: UnsafeRawPointer, count: Int) -> Float {
        var y: Float = 0
        trove_matvec_q8_K(Int32(type.rawValue), row, 0, Int32(count), xq, &y, 0, 1)
        return y
    }

    /// The scalar twin of ``quantize(_:into:count:)``: ggml-quants.c's loop, with its
    /// round-half-to-even `nearest_int`.
    public static func quantizeScalar(_ x: UnsafePointer<Float>, into out: UnsafeMutableRawPointer, count: Int) {
        for b in 0 ..< count / 256 {
            let block = out + b * bytesPerBlock, xb = x + 256 * b
            var maximum: Float = 0, largest: Float = 0
            for j in 0 ..< 256 where abs(xb[j]) > largest { largest = abs(xb[j]); maximum = xb[j] }
            guard largest != 0 else { block.initializeMemory(as: UInt8.self, repeating: 0, count: bytesPerBlock); continue }
            let inverseScale = -127 / maximum
            for j in 0 ..< 256 {
                let q = min(127, Int((inverseScale * xb[j]).rounded(.toNearestOrEven)))
                block.storeBytes(of: Int8(q), toByteOffset: 4 + j, as: Int8.self)
            }
            for g in 0 ..< 16 {
                var sum = 0
                for j in 0 ..< 16 { sum += Int(block.load(fromByteOffset: 4 + 16 * g + j, as: Int8.self)) }
                block.storeBytes(of: Int16(sum), toByteOffset: 260 + 2 * g, as: Int16.self)
            }
            block.storeBytes(of: 1 / inverseScale, as: Float.self)
        }
    }

    /// The scalar twin of ``dot(_:_:_:count:)``: each block's two integer sums from the block's
    /// integers (``KQuantEncoding/integers(_:)``), then `(d·d_x)·Σ − (dmin·d_x)·Σ`, blocks summed in order.
    public static func dotScalar(_ type: QuantType, _ row: UnsafeRawPointer, _ xq: UnsafeRawPointer, count: Int) -> Float {
        guard let encoding = type.encoding as? KQuantEncoding.Type else { return .nan }
        var sum: Float = 0
        for b in 0 ..< count / 256 {
            let w = encoding.integers(row + b * encoding.bytesPerBlock), x = xq + b * bytesPerBlock
            let group = 256 / w.scales.count
            var products = 0, minimums = 0
            for g in 0 ..< w.scales.count {
                var dot = 0, bsum = 0
                for e in g * group ..< (g + 1) * group {
                    let q = Int(x.load(fromByteOffset: 4 + e, as: Int8.self))
                    dot += w.values[e] * q
                    bsum += q
                }
                products += w.scales[g] * dot
                minimums += w.minimums[g] * bsum
            }
            let dx = x.load(as: Float.self)
            sum += (w.d * dx) * Float(products) - (w.dmin * dx) * Float(minimums)
        }
        return sum
    }
}

/// One K-quant block in integers: `w_e = d·s_g·q_e − dmin·m_g` for element e of group g.
public struct KQuantBlockIntegers {
    /// The block's scale and minimum factors (dmin 0 for the types without minimums).
    public let d, dmin: Float
    /// The 256 integer values q_e, offsets applied (Q3_K: −4…3, Q6_K: −32…31).
    public let values: [Int]
    /// Per group (16 of 16 elements, or 8 of 32): scale s_g and minimum m_g (0 without minimums).
    public let scales, minimums: [Int]
}

/// A K-quant whose blocks can be read as integers: the reference for the Q8_K products.
public protocol KQuantEncoding: BlockEncoding {
    /// Block `block`'s integers, straight from the layout.
    static func integers(_ block: UnsafeRawPointer) -> KQuantBlockIntegers
}
