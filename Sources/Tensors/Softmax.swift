/// In-place softmax over `count` floats: `x[i] = exp(x[i] - max) / Σ exp(x[j] - max)`.
///
/// Subtracting the maximum keeps exp from overflowing; the sum is accumulated in index order,
/// so the result does not depend on threading.
public func softmaxInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
    guard count > 0 else { return }
    var maximum = x[0]
    for i in 1..<count where x[i] > maximum { maximum = x[i] }
    var sum: Float = 0
    for i in 0..<count {
        let e = expf(x[i] - maximum)
        x[i] = e
        sum += e
    }
    let scale = 1 / sum
    for i in 0..<count { x[i] *= scale }
}

#if canImport(Glibc)
import Glibc
#endif
