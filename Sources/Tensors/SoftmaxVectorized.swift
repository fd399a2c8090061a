/// In-place softmax over `count` floats with 16-wide ``exponential(_:)``: the attention
/// probabilities of every (sequence, head), where scalar `expf` would be a sizeable share of
/// the encoder's time. Same formula as ``softmaxInPlace(_:count:)`` (its scalar twin):
/// `x[i] = exp(x[i] − max) / Σ exp(x[j] − max)`.
public func softmaxInPlaceVectorized(_ x: UnsafeMutablePointer<Float>, count: Int) {
    guard count > 0 else { return }
    var i = 0
    var maxima = SIMD16<Float>(repeating: -.infinity)
    while i + 16 <= count {
        maxima = pointwiseMax(maxima, UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self))
        i += 16
    }
    var maximum = maxima.max()
    while i < count { maximum = max(maximum, x[i]); i += 1 }

    var sums = SIMD16<Float>(repeating: 0)
    i = 0
    while i + 16 <= count {
        let e = exponential(UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self) - maximum)
        UnsafeMutableRawPointer(x + i).storeBytes(of: e, as: SIMD16<Float>.self)
        sums += e
        i += 16
    }
    if i < count {
        var tail = SIMD16<Float>(repeating: -.infinity)
        for k in 0..<(count - i) { tail[k] = x[i + k] }
        let e = exponential(tail - maximum).replacing(with: 0, where: tail .== -.infinity)
        for k in 0..<(count - i) { x[i + k] = e[k] }
        sums += e
    }
    let scale = 1 / sums.sum()
    i = 0
    while i + 16 <= count {
        let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(x + i).storeBytes(of: v * scale, as: SIMD16<Float>.self)
        i += 16
    }
    while i < count { x[i] *= scale; i += 1 }
}
