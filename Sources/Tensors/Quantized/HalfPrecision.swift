/// Rows of IEEE half (F16) or bfloat16 (BF16) weights: conversion to float32 and dot products
/// (and, for F16, the rows of the f16 KV cache: narrowing, and adding a scaled row).
///
/// F16 widens exactly through F16C (`vcvtph2ps`); BF16 is the top 16 bits of a float32, so it
/// widens by a 16-bit shift. Both are exact: float32 holds every value of either type.
public enum F16 {
    /// Bytes per weight.
    public static let bytesPerElement = 2

    /// Widens `count` halves to float32.
    @inlinable
    public static func dequantize(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count {
            let h = row.loadUnaligned(fromByteOffset: 2 * i, as: SIMD8<Float16>.self)
            UnsafeMutableRawPointer(output + i).storeBytes(of: SIMD8<Float>(h), as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { output[i] = loadHalf(row + 2 * i); i += 1 }
    }

    /// `Σ_i w_i · x_i` over `count` halves, float32 accumulation.
    @inlinable
    public static func dot(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            let w = SIMD8<Float>(row.loadUnaligned(fromByteOffset: 2 * i, as: SIMD8<Float16>.self))
            acc = acc.addingProduct(w, UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self))
            i += 8
        }
        var sum = acc.sum()
        while i < count { sum += loadHalf(row + 2 * i) * x[i]; i += 1 }
        return sum
    }

    /// Narrows `count` floats to halves, rounding to nearest even (F16C `vcvtps2ph`): how the f16
    /// KV cache stores a key or value row, as llama.cpp's default cache does.
    @inlinable
    public static func quantize(_ x: UnsafePointer<Float>, into row: UnsafeMutableRawPointer, count: Int) {
        var i = 0
        while i + 8 <= count {
            let h = SIMD8<Float16>(UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self))
            row.storeBytes(of: h, toByteOffset: 2 * i, as: SIMD8<Float16>.self)
            i += 8
        }
        while i < count { row.storeBytes(of: Float16(x[i]).bitPattern, toByteOffset: 2 * i, as: UInt16.self); i += 1 }
    }

    /// `y_i += a · w_i` over `count` halves (an attention weight times a cached f16 value row).
    @inlinable
    public static func addScaled(_ a: Float, _ row: UnsafeRawPointer, into y: UnsafeMutablePointer<Float>, count: Int) {
        let scale = SIMD8<Float>(repeating: a)
        var i = 0
        while i + 8 <= count {
            let w = SIMD8<Float>(row.loadUnaligned(fromByteOffset: 2 * i, as: SIMD8<Float16>.self))
            let sum = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self).addingProduct(scale, w)
            UnsafeMutableRawPointer(y + i).storeBytes(of: sum, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { y[i] += a * loadHalf(row + 2 * i); i += 1 }
    }

    /// The scalar twin of ``dequantize(_:into:count:)``.
    public static func dequantizeScalar(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0 ..< count { output[i] = Float(Float16(bitPattern: row.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
    }

    /// The scalar twin of ``quantize(_:into:count:)``.
    public static func quantizeScalar(_ x: UnsafePointer<Float>, into row: UnsafeMutableRawPointer, count: Int) {
        for i in 0 ..< count { row.storeBytes(of: Float16(x[i]).bitPattern, toByteOffset: 2 * i, as: UInt16.self) }
    }

    /// The scalar twin of ``addScaled(_:_:into:count:)``.
    public static func addScaledScalar(_ a: Float, _ row: UnsafeRawPointer, into y: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0 ..< count { y[i] += a * Float(Float16(bitPattern: row.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
    }

    /// The scalar twin of ``dot(_:_:count:)``.
    public static func dotScalar(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var sum: Float = 0
        for i in 0 ..< count { sum += Float(Float16(bitPattern: row.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) * x[i] }
        return sum
    }
}

/// Rows of bfloat16 weights (the upper half of a float32's bits).
public enum BF16 {
    /// Bytes per weight.
    public static let bytesPerElement = 2

    /// Widens `count` bfloat16 values to float32 (`bits << 16`).
    @inlinable
    public static func dequantize(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count {
            let bits = SIMD8<UInt32>(truncatingIfNeeded: row.loadUnaligned(fromByteOffset: 2 * i, as: SIMD8<UInt16>.self)) &<< 16
            UnsafeMutableRawPointer(output + i).storeBytes(of: unsafeBitCast(bits, to: SIMD8<Float>.self), as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { output[i] = bfloat(row, i); i += 1 }
    }

    /// `Σ_i w_i · x_i` over `count` bfloat16 values, float32 accumulation.
    @inlinable
    public static func dot(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            let bits = SIMD8<UInt32>(truncatingIfNeeded: row.loadUnaligned(fromByteOffset: 2 * i, as: SIMD8<UInt16>.self)) &<< 16
            acc = acc.addingProduct(unsafeBitCast(bits, to: SIMD8<Float>.self), UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self))
            i += 8
        }
        var sum = acc.sum()
        while i < count { sum += bfloat(row, i) * x[i]; i += 1 }
        return sum
    }

    /// The scalar twin of ``dequantize(_:into:count:)``.
    public static func dequantizeScalar(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0 ..< count { output[i] = bfloat(row, i) }
    }

    /// The scalar twin of ``dot(_:_:count:)``.
    public static func dotScalar(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var sum: Float = 0
        for i in 0 ..< count { sum += bfloat(row, i) * x[i] }
        return sum
    }

    @inlinable @inline(__always)
    static func bfloat(_ row: UnsafeRawPointer, _ i: Int) -> Float {
        Float(bitPattern: UInt32(row.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) << 16)
    }
}

/// Rows of plain float32 weights, for the table's sake (norm vectors, unquantised files).
public enum F32 {
    /// Copies `count` floats.
    @inlinable
    public static func dequantize(_ row: UnsafeRawPointer, into output: UnsafeMutablePointer<Float>, count: Int) {
        UnsafeMutableRawPointer(output).copyMemory(from: row, byteCount: 4 * count)
    }

    /// `Σ_i w_i · x_i`, float32 accumulation in 8 lanes.
    @inlinable
    public static func dot(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            acc = acc.addingProduct(row.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self),
                                    UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self))
            i += 8
        }
        var sum = acc.sum()
        while i < count { sum += row.loadUnaligned(fromByteOffset: 4 * i, as: Float.self) * x[i]; i += 1 }
        return sum
    }
}
