/// RMSNorm (Zhang & Sennrich 2019), as llama applies it before attention and the MLP:
/// `out_i = x_i / sqrt(mean(x²) + ε) · w_i`, ε = 1e-5 for SmolLM2 (`llama.attention.layer_norm_rms_epsilon`).
@inlinable
public func rmsNorm(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                    count: Int, epsilon: Float = 1e-5) {
    var acc = SIMD8<Float>()
    var i = 0
    while i + 8 <= count {
        let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
        acc = acc.addingProduct(v, v)
        i += 8
    }
    var sum = acc.sum()
    while i < count { sum += x[i] * x[i]; i += 1 }
    let scale = 1 / (sum / Float(count) + epsilon).squareRoot()
    i = 0
    while i + 8 <= count {
        let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
        let w = UnsafeRawPointer(weight + i).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(out + i).storeBytes(of: v * scale * w, as: SIMD8<Float>.self)
        i += 8
    }
    while i < count { out[i] = x[i] * scale * weight[i]; i += 1 }
}

/// The scalar twin of ``rmsNorm(_:weight:into:count:epsilon:)``, summing in float64.
public func rmsNormScalar(_ x: UnsafePointer<Float>, weight: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                          count: Int, epsilon: Float = 1e-5) {
    var sum: Double = 0
    for i in 0 ..< count { sum += Double(x[i]) * Double(x[i]) }
    let scale = 1 / (sum / Double(count) + Double(epsilon)).squareRoot()
    for i in 0 ..< count { out[i] = Float(Double(x[i]) * scale) * weight[i] }
}
