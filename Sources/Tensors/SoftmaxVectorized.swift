/// In-place softmax over `count` floats, vectorised: the attention probabilities of every
/// (sequence, head), where scalar `expf` would be a sizeable share of the encoder's time.
/// Same formula as ``softmaxInPlace(_:count:)`` (its scalar twin):
/// `x[i] = exp(x[i] − max) / Σ exp(x[j] − max)`.
public func softmaxInPlaceVectorized(_ x: UnsafeMutablePointer<Float>, count: Int) {
    guard count > 0 else { return }
    // Maximum: four independent chains so the comparisons pipeline.
    var m0 = x[0], m1 = x[0], m2 = x[0], m3 = x[0]
    var i = 0
    while i + 4 <= count {
        m0 = max(m0, x[i]); m1 = max(m1, x[i + 1]); m2 = max(m2, x[i + 2]); m3 = max(m3, x[i + 3])
        i += 4
    }
    while i < count { m0 = max(m0, x[i]); i += 1 }
    let maximum = max(max(m0, m1), max(m2, m3))

    for j in 0..<count { x[j] = exponential(x[j] - maximum) }

    var sums = SIMD16<Float>(repeating: 0)
    i = 0
    while i + 16 <= count {
        sums += UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
        i += 16
    }
    var sum = sums.sum()
    while i < count { sum += x[i]; i += 1 }
    let scale = 1 / sum
    for j in 0..<count { x[j] *= scale }
}
