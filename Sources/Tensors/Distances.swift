/// Distance kernels between float32 vectors: `squaredL2` and `dot`, each with a plain scalar twin.
///
/// The SIMD kernels read both operands once, 64 floats per step into four independent
/// SIMD16 accumulators (eight ymm registers under `-target-cpu haswell`), so that the adds of one
/// step do not wait on the previous one and the loads stream at memory speed. The order of the
/// sums is fixed by `count` alone (never by alignment or thread), so the same inputs always give
/// the same bits; it differs from the scalar twins' left-to-right order only by rounding.

/// `Σ (a[i] − b[i])²` over `count` floats: the squared Euclidean distance, not its square root.
///
/// Computed directly from the differences, so identical vectors give exactly 0 and the result is
/// never negative (no `‖a‖² − 2a·b + ‖b‖²` cancellation).
@inlinable @inline(__always)
public func squaredL2(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    let stride = MemoryLayout<Float>.stride
    var s0 = SIMD16<Float>(), s1 = SIMD16<Float>(), s2 = SIMD16<Float>(), s3 = SIMD16<Float>()
    var i = 0
    while i + 64 <= count {
        let d0 = ra.loadUnaligned(fromByteOffset: i * stride, as: SIMD16<Float>.self)
            - rb.loadUnaligned(fromByteOffset: i * stride, as: SIMD16<Float>.self)
        let d1 = ra.loadUnaligned(fromByteOffset: (i + 16) * stride, as: SIMD16<Float>.self)
            - rb.loadUnaligned(fromByteOffset: (i + 16) * stride, as: SIMD16<Float>.self)
        let d2 = ra.loadUnaligned(fromByteOffset: (i + 32) * stride, as: SIMD16<Float>.self)
            - rb.loadUnaligned(fromByteOffset: (i + 32) * stride, as: SIMD16<Float>.self)
        let d3 = ra.loadUnaligned(fromByteOffset: (i + 48) * stride, as: SIMD16<Float>.self)
            - rb.loadUnaligned(fromByteOffset: (i + 48) * stride, as: SIMD16<Float>.self)
        s0.addProduct(d0, d0)
        s1.addProduct(d1, d1)
        s2.addProduct(d2, d2)
        s3.addProduct(d3, d3)
        i += 64
    }
    while i + 16 <= count {
        let d = ra.loadUnaligned(fromByteOffset: i * stride, as: SIMD16<Float>.self)
            - rb.loadUnaligned(fromByteOffset: i * stride, as: SIMD16<Float>.self)
        s0.addProduct(d, d)
        i += 16
    }
    var tail: Float = 0
    while i < count {
        let d = a[i] - b[i]
        tail += d * d
        i += 1
    }
    return ((s0 + s1) + (s2 + s3)).sum() + tail
}

/// `distances[r] = squaredL2(query, rows + r · dimension)` for each of `rowCount` rows of a
/// row-major [rowCount, dimension] block: the inner loop of an exact nearest-neighbour scan.
///
/// Bit for bit the same as calling ``squaredL2(_:_:count:)`` on each row (same summation order);
/// rows are read once, in order, so the hardware prefetcher streams them.
@inlinable
public func squaredL2(_ query: UnsafePointer<Float>, rows: UnsafePointer<Float>, rowCount: Int,
                      dimension: Int, into distances: UnsafeMutablePointer<Float>) {
    var row = rows
    for r in 0..<rowCount {
        distances[r] = squaredL2(query, row, count: dimension)
        row += dimension
    }
}

/// `Σ a[i] · b[i]` over `count` floats.
@inlinable @inline(__always)
public func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    let stride = MemoryLayout<Float>.stride
    var s0 = SIMD16<Float>(), s1 = SIMD16<Float>(), s2 = SIMD16<Float>(), s3 = SIMD16<Float>()
    var i = 0
    while i + 64 <= count {
        s0.addProduct(ra.loadUnaligned(fromByteOffset: i * stride, as: SIMD16<Float>.self),
                      rb.loadUnaligned(fromByteOffset: i * stride, as: SIMD16<Float>.self))
        s1.addProduct(ra.loadUnaligned(fromByteOffset: (i + 16) * stride, as: SIMD16<Float>.self),
                      rb.loadUnaligned(fromByteOffset: (i + 16) * stride, as: SIMD16<Float>.self))
        s2.addProduct(ra.loadUnaligned(fromByteOffset: (i + 32) * stride, as: SIMD16<Float>.self),
                      rb.loadUnaligned(fromByteOffset: (i + 32) * stride, as: SIMD16<Float>.self))
        s3.addProduct(ra.loadUnaligned(fromByteOffset: (i + 48) * stride, as: SIMD16<Float>.self),
                      rb.loadUnaligned(fromByteOffset: (i + 48) * stride, as: SIMD16<Float>.self))
        i += 64
    }
    while i + 16 <= count {
        s0.addProduct(ra.loadUnaligned(fromByteOffset: i * stride, as: SIMD16<Float>.self),
                      rb.loadUnaligned(fromByteOffset: i * stride, as: SIMD16<Float>.self))
        i += 16
    }
    var tail: Float = 0
    while i < count {
        tail += a[i] * b[i]
        i += 1
    }
    return ((s0 + s1) + (s2 + s3)).sum() + tail
}

/// Scalar twin of ``squaredL2(_:_:count:)``: one left-to-right sum, the reference in tests.
public func squaredL2Scalar(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var sum: Float = 0
    for i in 0..<count {
        let d = a[i] - b[i]
        sum += d * d
    }
    return sum
}

/// Scalar twin of ``squaredL2(_:rows:rowCount:dimension:into:)``: one scalar sum per row.
public func squaredL2Scalar(_ query: UnsafePointer<Float>, rows: UnsafePointer<Float>, rowCount: Int,
                            dimension: Int, into distances: UnsafeMutablePointer<Float>) {
    for r in 0..<rowCount {
        distances[r] = squaredL2Scalar(query, rows + r * dimension, count: dimension)
    }
}

/// Scalar twin of ``dot(_:_:count:)``: one left-to-right sum, the reference in tests.
public func dotScalar(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var sum: Float = 0
    for i in 0..<count { sum += a[i] * b[i] }
    return sum
}
