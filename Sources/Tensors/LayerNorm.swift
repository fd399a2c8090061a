/// Layer normalisation of one row of `count` floats, in place (PyTorch `nn.LayerNorm`):
///
///     y = (x − mean) / √(var + ε) · γ + β,   var = mean((x − mean)²)  (biased, two passes)
///
/// Two passes (mean, then squared deviations) rather than E[x²] − E[x]²: BERT's hidden states
/// have large means in places, where the one-pass form loses digits. Scalar twin:
/// ``layerNormScalar(_:count:weight:bias:epsilon:)``.
public func layerNorm(_ x: UnsafeMutablePointer<Float>, count: Int,
                      weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, epsilon: Float) {
    var sum = SIMD8<Float>(repeating: 0)
    var i = 0
    while i + 8 <= count {
        sum += UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
        i += 8
    }
    var total = sum.sum()
    while i < count { total += x[i]; i += 1 }
    let mean = total / Float(count)

    var squares = SIMD8<Float>(repeating: 0)
    i = 0
    while i + 8 <= count {
        let d = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self) - mean
        squares += d * d
        i += 8
    }
    var squareTotal = squares.sum()
    while i < count { let d = x[i] - mean; squareTotal += d * d; i += 1 }
    let inverse = 1 / (squareTotal / Float(count) + epsilon).squareRoot()

    i = 0
    while i + 8 <= count {
        let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
        let g = UnsafeRawPointer(weight + i).loadUnaligned(as: SIMD8<Float>.self)
        let b = UnsafeRawPointer(bias + i).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(x + i).storeBytes(of: (v - mean) * inverse * g + b, as: SIMD8<Float>.self)
        i += 8
    }
    while i < count { x[i] = (x[i] - mean) * inverse * weight[i] + bias[i]; i += 1 }
}

/// Layer normalisation of every row of `x` ([rows, columns]) in place, rows split across
/// threads when `parallel` (callers that already run one task per thread pass false).
public func layerNormRows(_ x: inout Matrix, weight: [Float], bias: [Float], epsilon: Float, parallel: Bool = true) {
    precondition(weight.count == x.columns && bias.count == x.columns, "layerNormRows: γ/β have \(weight.count)/\(bias.count) values for \(x.columns) columns")
    let columns = x.columns, rows = x.rows
    x.values.withUnsafeMutableBufferPointer { values in
        let base = values.baseAddress!
        weight.withUnsafeBufferPointer { g in
            bias.withUnsafeBufferPointer { b in
                parallelFor(rows, minimumPerThread: parallel ? 64 : .max) { range in
                    for r in range {
                        layerNorm(base + r * columns, count: columns, weight: g.baseAddress!, bias: b.baseAddress!, epsilon: epsilon)
                    }
                }
            }
        }
    }
}

/// The reference layer norm: plain loops, accumulated in Double.
public func layerNormScalar(_ x: [Float], weight: [Float], bias: [Float], epsilon: Float) -> [Float] {
    let n = Double(x.count)
    let mean = x.reduce(0.0) { $0 + Double($1) } / n
    let variance = x.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
    let inverse = 1 / (variance + Double(epsilon)).squareRoot()
    return x.indices.map { Float((Double(x[$0]) - mean) * inverse * Double(weight[$0]) + Double(bias[$0])) }
}
