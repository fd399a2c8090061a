import CKernels
import Testing
import TroveTestSupport
@testable import Tensors

/// Random but valid blocks: f16 scales from a small set of magnitudes, random nibbles/bytes.
func randomBlocks(_ type: QuantType, rows: Int, columns: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
    var bytes = [UInt8](repeating: 0, count: rows * type.rowBytes(columns: columns))
    for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: next()) }
    let blocks = rows * columns / type.blockSize
    for b in 0 ..< blocks {
        let offset = b * type.bytesPerBlock
        let d = Float16(Float(Int(next() % 200) + 1) / 4096)
        let m = Float16(-Float(Int(next() % 200)) / 512)
        let fields = halfFields(type)
        withUnsafeBytes(of: d.bitPattern.littleEndian) { bytes.replaceSubrange(offset + fields[0] ..< offset + fields[0] + 2, with: $0) }
        if fields.count > 1 {
            withUnsafeBytes(of: m.bitPattern.littleEndian) { bytes.replaceSubrange(offset + fields[1] ..< offset + fields[1] + 2, with: $0) }
        }
    }
    return bytes
}

/// Byte offsets of a block's f16 fields: the scale d, then the minimum or dmin (ggml-common.h).
func halfFields(_ type: QuantType) -> [Int] {
    switch type {
    case .q4_1, .q5_1, .q4_K, .q5_K: return [0, 2]
    case .q2_K: return [80, 82]
    case .q3_K: return [108]
    case .q6_K: return [208]
    default: return [0]
    }
}

/// A row length that is whole blocks of `type` and not a power of two (768 for the K-quants).
func testColumns(_ type: QuantType) -> Int { type.blockSize == 256 ? 768 : 576 }

func randomVector(_ count: Int, seed: UInt64) -> [Float] {
    var state = seed
    return (0 ..< count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(Int(state >> 40) % 2001 - 1000) / 500
    }
}

@Suite("Quantized kernels match their scalar twins", .serialized)
struct QuantizedKernelsMatchScalarTests {
    static let blockTypes: [QuantType] = [.q4_0, .q4_1, .q8_0, .q5_0, .q5_1, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K]
    static let levels = [0, 2, 5]

    @Test("dequantize equals the scalar twin (every instruction-set level)", arguments: blockTypes, levels)
    func dequantizeMatches(_ type: QuantType, _ level: Int) {
        ProcessWideSettings.acquire()
        QuantizedKernels.force(level: level)
        defer { QuantizedKernels.force(level: 6); ProcessWideSettings.release() }
        let columns = testColumns(type)
        let blocks = randomBlocks(type, rows: 1, columns: columns, seed: 11)
        var fast = [Float](repeating: 0, count: columns), slow = fast
        blocks.withUnsafeBytes { raw in
            fast.withUnsafeMutableBufferPointer { type.dequantizeRow(raw.baseAddress!, $0.baseAddress!, columns) }
            slow.withUnsafeMutableBufferPointer { scalarDequantize(type, raw.baseAddress!, $0.baseAddress!, columns) }
        }
        if type.encoding != nil {
            #expect(fast.map(\.bitPattern) == slow.map(\.bitPattern), "the C dequantisation must equal the scalar twin bit for bit")
        }
        for i in 0 ..< columns { #expect(abs(fast[i] - slow[i]) <= 1e-6 * max(1, abs(slow[i])), "element \(i)") }
    }

    @Test("matvec rows equal scalar dot products, for any split of the rows", arguments: blockTypes, levels)
    func matvecMatches(_ type: QuantType, _ level: Int) {
        ProcessWideSettings.acquire()
        QuantizedKernels.force(level: level)
        defer { QuantizedKernels.force(level: 6); ProcessWideSettings.release() }
        let rows = 37, columns = testColumns(type)
        let blocks = randomBlocks(type, rows: rows, columns: columns, seed: 5)
        let x = randomVector(columns, seed: 3)
        blocks.withUnsafeBytes { raw in
            x.withUnsafeBufferPointer { xp in
                let w = QuantizedMatrix(rows: rows, columns: columns, type: type, base: raw.baseAddress!)
                var whole = [Float](repeating: 0, count: rows), split = whole
                whole.withUnsafeMutableBufferPointer { w.multiply(xp.baseAddress!, into: $0.baseAddress!, rows: 0 ..< rows) }
                split.withUnsafeMutableBufferPointer { y in
                    for range in [0 ..< 5, 5 ..< 6, 6 ..< 20, 20 ..< rows] {
                        w.multiply(xp.baseAddress!, into: y.baseAddress! + range.lowerBound, rows: range)
                    }
                }
                #expect(whole == split, "a row's value must not depend on how rows are split between threads")
                for r in 0 ..< rows {
                    let expected = scalarDot(type, w.row(r), xp.baseAddress!, columns)
                    let magnitude = productMagnitude(type, w.row(r), x, columns)
                    #expect(abs(whole[r] - expected) <= 1e-5 * magnitude, "row \(r): \(whole[r]) vs \(expected)")
                }
            }
        }
    }

    @Test("the batched product equals scalar dot products, identical for any panel split", arguments: blockTypes, levels)
    func batchedProductMatches(_ type: QuantType, _ level: Int) {
        ProcessWideSettings.acquire()
        QuantizedKernels.force(level: level)
        defer { QuantizedKernels.force(level: 6); ProcessWideSettings.release() }
        let rows = 70, columns = type.blockSize == 256 ? 512 : 96, tokens = 13
        let blocks = randomBlocks(type, rows: rows, columns: columns, seed: 21)
        let x = randomVector(tokens * columns, seed: 22)
        var out = [Float](repeating: .nan, count: tokens * rows)
        var scratch = [Float](repeating: 0, count: rows * columns)
        blocks.withUnsafeBytes { raw in
            let w = QuantizedMatrix(rows: rows, columns: columns, type: type, base: raw.baseAddress!)
            out.withUnsafeMutableBufferPointer { o in
                scratch.withUnsafeMutableBufferPointer { w.multiplyBatch(x, xStride: columns, tokens: tokens, into: o.baseAddress!, outStride: rows, scratch: $0.baseAddress!) }
            }
            var row = [Float](repeating: 0, count: columns)
            for r in 0 ..< rows {
                row.withUnsafeMutableBufferPointer { scalarDequantize(type, w.row(r), $0.baseAddress!, columns) }
                for t in 0 ..< tokens {
                    let expected = x.withUnsafeBufferPointer { scalarDot(type, w.row(r), $0.baseAddress! + t * columns, columns) }
                    // Float32 rounding grows with Σ|w·x| (large for random K-quant blocks), not with the result.
                    var magnitude: Float = 0
                    for k in 0 ..< columns { magnitude += abs(row[k] * x[t * columns + k]) }
                    #expect(abs(out[t * rows + r] - expected) <= 1e-4 * max(1, abs(expected)) || abs(out[t * rows + r] - expected) <= 1e-5 * magnitude,
                            "token \(t) row \(r)")
                }
            }
            // The same product computed one panel range at a time (as another thread split would).
            var pieces = [Float](repeating: .nan, count: tokens * rows)
            pieces.withUnsafeMutableBufferPointer { o in
                for (begin, end) in [(0, 32), (32, 64), (64, 70)] {
                    trove_gemm_quantized_for_tests(w, x, tokens: tokens, into: o.baseAddress!, outStride: rows, rows: begin ..< end)
                }
            }
            #expect(pieces == out)
        }
    }

    @Test("F16 and BF16 rows widen and dot exactly like their scalar twins", arguments: [QuantType.f16, .bf16])
    func halfPrecisionMatches(_ type: QuantType) {
        let count = 77
        let values = randomVector(count, seed: 9)
        let x = randomVector(count, seed: 10)
        var raw = [UInt16](repeating: 0, count: count)
        for i in 0 ..< count { raw[i] = type == .f16 ? Float16(values[i]).bitPattern : UInt16(values[i].bitPattern >> 16) }
        raw.withUnsafeBytes { r in
            x.withUnsafeBufferPointer { xp in
                var fast = [Float](repeating: 0, count: count), slow = fast
                fast.withUnsafeMutableBufferPointer { type.dequantizeRow(r.baseAddress!, $0.baseAddress!, count) }
                slow.withUnsafeMutableBufferPointer {
                    type == .f16 ? F16.dequantizeScalar(r.baseAddress!, into: $0.baseAddress!, count: count)
                                 : BF16.dequantizeScalar(r.baseAddress!, into: $0.baseAddress!, count: count)
                }
                #expect(fast == slow)
                let dot = type.dot(r.baseAddress!, xp.baseAddress!, count)
                let expected = type == .f16 ? F16.dotScalar(r.baseAddress!, xp.baseAddress!, count: count)
                                            : BF16.dotScalar(r.baseAddress!, xp.baseAddress!, count: count)
                #expect(abs(dot - expected) <= 1e-4)
            }
        }
    }

    @Test("F16 rows of the KV cache: narrowing rounds as the scalar twin, bit for bit; adding a scaled row matches")
    func halfCacheRows() {
        let count = 203
        var values = randomVector(count, seed: 11).map { $0 * 3 }
        // Specials and edges: signed zeros, subnormal halves, ties to even, overflow, infinities, NaN.
        let edges: [Float] = [0, -0.0, 3e-8, -6.1e-5, 1.00048828125, 1.00146484375, 65504, 65520, 1e6, -Float.infinity, Float.nan]
        values.replaceSubrange(0 ..< edges.count, with: edges)
        var fast = [UInt16](repeating: 0, count: count), slow = fast
        values.withUnsafeBufferPointer { x in
            fast.withUnsafeMutableBytes { F16.quantize(x.baseAddress!, into: $0.baseAddress!, count: count) }
            slow.withUnsafeMutableBytes { F16.quantizeScalar(x.baseAddress!, into: $0.baseAddress!, count: count) }
        }
        #expect(fast == slow)
        #expect(Array(fast.prefix(edges.count)) == [0x0000, 0x8000, 0x0001, 0x83FF, 0x3C00, 0x3C02, 0x7BFF, 0x7C00, 0x7C00, 0xFC00, 0x7E00])
        var y1 = randomVector(count, seed: 12), y2 = y1
        fast.withUnsafeBytes { row in
            y1.withUnsafeMutableBufferPointer { F16.addScaled(0.37, row.baseAddress!, into: $0.baseAddress!, count: 190) }
            y2.withUnsafeMutableBufferPointer { F16.addScaledScalar(0.37, row.baseAddress!, into: $0.baseAddress!, count: 190) }
        }
        for i in 0 ..< count where y1[i].isFinite || y2[i].isFinite {
            #expect(abs(y1[i] - y2[i]) <= 1e-5 * max(1, abs(y2[i])), "element \(i): \(y1[i]) vs \(y2[i])")
        }
    }

    @Test("the table's block sizes and bytes are ggml's")
    func tableMatchesGGML() {
        #expect(QuantType.q4_0.bytesPerBlock == 18 && QuantType.q4_1.bytesPerBlock == 20 && QuantType.q8_0.bytesPerBlock == 34)
        #expect(QuantType.q4_1.rowBytes(columns: 576) == 360)
        #expect(QuantType(rawValue: 3) == .q4_1 && QuantType(rawValue: 8) == .q8_0 && QuantType(rawValue: 30) == .bf16)
    }

    @Test("Q4_1 puts low nibbles at elements 0–15 and high nibbles at 16–31")
    func nibbleOrder() {
        var block = [UInt8](repeating: 0, count: 20)
        withUnsafeBytes(of: Float16(1).bitPattern) { block.replaceSubrange(0 ..< 2, with: $0) }   // d = 1, m = 0
        block[4] = 0x53                                                                             // element 0 → 3, element 16 → 5
        var out = [Float](repeating: -1, count: 32)
        block.withUnsafeBytes { b in out.withUnsafeMutableBufferPointer { Q4_1.dequantize(b.baseAddress!, into: $0.baseAddress!, count: 32) } }
        #expect(out[0] == 3 && out[16] == 5 && out[1] == 0)
    }
}

/// Σ|wᵢ·xᵢ| over a row: float32 rounding of a dot product grows with it (large for random
/// K-quant blocks), not with the result, so tolerances are a share of it.
func productMagnitude(_ type: QuantType, _ row: UnsafeRawPointer, _ x: [Float], _ columns: Int) -> Float {
    var weights = [Float](repeating: 0, count: columns)
    weights.withUnsafeMutableBufferPointer { scalarDequantize(type, row, $0.baseAddress!, columns) }
    var magnitude: Float = 0
    for i in 0 ..< columns { magnitude += abs(weights[i] * x[i]) }
    return magnitude
}

func scalarDequantize(_ type: QuantType, _ p: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
    switch type {
    case .q4_0: Q4_0.dequantizeScalar(p, into: out, count: n)
    case .q4_1: Q4_1.dequantizeScalar(p, into: out, count: n)
    case .q8_0: Q8_0.dequantizeScalar(p, into: out, count: n)
    default:
        guard let encoding = type.encoding else { Issue.record("no scalar twin for \(type)"); return }
        encoding.dequantizeScalar(p, into: out, count: n)
    }
}

func scalarDot(_ type: QuantType, _ p: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ n: Int) -> Float {
    switch type {
    case .q4_0: return Q4_0.dotScalar(p, x, count: n)
    case .q4_1: return Q4_1.dotScalar(p, x, count: n)
    case .q8_0: return Q8_0.dotScalar(p, x, count: n)
    default: return type.encoding?.dotScalar(p, x, count: n) ?? .nan
    }
}

/// One call of the C product over `rows` of `w` (what one thread does with its panels).
func trove_gemm_quantized_for_tests(_ w: QuantizedMatrix, _ x: [Float], tokens: Int, into out: UnsafeMutablePointer<Float>,
                                    outStride: Int, rows: Range<Int>) {
    _ = trove_gemm_quantized(Int32(w.type.rawValue), w.base, w.rowBytes, Int32(w.columns), x, Int32(w.columns), Int32(tokens),
                             out, Int32(outStride), Int32(rows.lowerBound), Int32(rows.upperBound))
}
