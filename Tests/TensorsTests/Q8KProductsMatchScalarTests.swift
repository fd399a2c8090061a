import CKernels
import Testing
import TroveTestSupport
@testable import Tensors

/// The K-quant × Q8_K integer products (llama.cpp's run-time path) against their Swift twins.
@Suite("Q8_K activations and the K-quants' integer products match their scalar twins", .serialized)
struct Q8KProductsMatchScalarTests {
    static let types: [QuantType] = [.q2_K, .q3_K, .q4_K, .q5_K, .q6_K]
    /// Portable C, AVX2, AVX-512, AVX-512 VNNI (each capped at what the CPU has).
    static let levels = [0, 2, 5, 6]

    /// `tokens` rows of `columns` activations quantised by the C quantiser.
    static func quantized(_ x: [Float], columns: Int, tokens: Int) -> [UInt8] {
        let rowBytes = columns / 256 * Q8_K.bytesPerBlock
        var out = [UInt8](repeating: 0, count: rowBytes * tokens)
        x.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBytes { o in
                for t in 0 ..< tokens { Q8_K.quantize(xp.baseAddress! + t * columns, into: o.baseAddress! + t * rowBytes, count: columns) }
            }
        }
        return out
    }

    @Test("quantising to Q8_K equals ggml's loop bit for bit: largest |x| to ∓127, ties to even, block sums, zero blocks")
    func quantizeMatches() {
        var x = randomVector(1024, seed: 41).map { $0 * 3 }
        x.replaceSubrange(256 ..< 512, with: [Float](repeating: 0, count: 256))               // an all-zero block
        x[600] = -7; x[601] = 7; x[602] = 3.5; x[603] = 0.5 * 7 / 127                          // max negative, its mirror, a tie
        var fast = [UInt8](repeating: 0xAA, count: 4 * Q8_K.bytesPerBlock), slow = fast
        x.withUnsafeBufferPointer { xp in
            fast.withUnsafeMutableBytes { Q8_K.quantize(xp.baseAddress!, into: $0.baseAddress!, count: 1024) }
            slow.withUnsafeMutableBytes { Q8_K.quantizeScalar(xp.baseAddress!, into: $0.baseAddress!, count: 1024) }
        }
        #expect(fast == slow)
        fast.withUnsafeBytes { b in
            let block = b.baseAddress! + 2 * Q8_K.bytesPerBlock
            #expect(block.load(as: Float.self) == 1 / (-127 / Float(-7)))                              // d = 1/iscale, iscale = −127/max
            #expect(block.load(fromByteOffset: 4 + 600 - 512, as: Int8.self) == -127)                 // the largest |x| (the first, −7) maps to −127
            #expect(block.load(fromByteOffset: 4 + 601 - 512, as: Int8.self) == 127)
            #expect(b.load(fromByteOffset: Q8_K.bytesPerBlock, as: Float.self) == 0)                 // the zero block
        }
    }

    @Test("row · Q8_K equals the integer scalar twin (bit for bit in portable C), for every level and any row split",
          arguments: types, levels)
    func matvecMatches(_ type: QuantType, _ level: Int) {
        ProcessWideSettings.acquire()
        QuantizedKernels.force(level: level)
        defer { QuantizedKernels.force(level: 6); ProcessWideSettings.release() }
        let rows = 37, columns = 768
        let blocks = randomBlocks(type, rows: rows, columns: columns, seed: 5)
        let x = randomVector(columns, seed: 3)
        let xq = Self.quantized(x, columns: columns, tokens: 1)
        blocks.withUnsafeBytes { raw in
            xq.withUnsafeBytes { q in
                let w = QuantizedMatrix(rows: rows, columns: columns, type: type, base: raw.baseAddress!)
                let prepared = PreparedActivations(floats: x, floatStride: columns, q8K: q.baseAddress!, q8KStride: 0)
                var whole = [Float](repeating: 0, count: rows), split = whole
                whole.withUnsafeMutableBufferPointer { w.multiply(prepared, into: $0.baseAddress!, rows: 0 ..< rows) }
                split.withUnsafeMutableBufferPointer { y in
                    for range in [0 ..< 5, 5 ..< 6, 6 ..< 21, 21 ..< rows] { w.multiply(prepared, into: y.baseAddress! + range.lowerBound, rows: range) }
                }
                #expect(whole == split, "a row's value must not depend on how rows are split between threads")
                for r in 0 ..< rows {
                    let expected = Q8_K.dotScalar(type, w.row(r), q.baseAddress!, count: columns)
                    if QuantizedKernels.level == 0 {
                        #expect(whole[r].bitPattern == expected.bitPattern, "row \(r): \(whole[r]) vs \(expected)")
                    }
                    // The integers are exact; only the float sum over blocks and lanes may round differently.
                    let magnitude = productMagnitude(type, w.row(r), x, columns)
                    #expect(abs(whole[r] - expected) <= 1e-6 * magnitude, "row \(r): \(whole[r]) vs \(expected)")
                    // And 8-bit activations cost what they should: within 1% of the float product's magnitude.
                    let exact = scalarDot(type, w.row(r), x, columns)
                    #expect(abs(whole[r] - exact) <= 1e-2 * magnitude, "row \(r): int8 \(whole[r]) vs float \(exact)")
                }
            }
        }
    }

    @Test("the prefill product gives every element exactly the matvec's value, for any panel split", arguments: types, levels)
    func batchMatchesMatvec(_ type: QuantType, _ level: Int) {
        ProcessWideSettings.acquire()
        QuantizedKernels.force(level: level)
        defer { QuantizedKernels.force(level: 6); ProcessWideSettings.release() }
        let rows = 70, columns = 512, tokens = 13
        let blocks = randomBlocks(type, rows: rows, columns: columns, seed: 21)
        let x = randomVector(tokens * columns, seed: 22)
        let quantizer = ActivationQuantizer(precision: .int8)
        var out = [Float](repeating: .nan, count: tokens * rows), scratch = [Float](repeating: 0, count: 1)
        blocks.withUnsafeBytes { raw in
            let w = QuantizedMatrix(rows: rows, columns: columns, type: type, base: raw.baseAddress!)
            x.withUnsafeBufferPointer { xp in
                let prepared = quantizer.prepare(xp.baseAddress!, count: columns, tokens: tokens, for: w)
                #expect(prepared.q8K != nil)
                out.withUnsafeMutableBufferPointer { o in
                    scratch.withUnsafeMutableBufferPointer { w.multiplyBatch(prepared, tokens: tokens, into: o.baseAddress!, outStride: rows, scratch: $0.baseAddress!) }
                }
                var pieces = [Float](repeating: .nan, count: tokens * rows)
                pieces.withUnsafeMutableBufferPointer { o in
                    for (begin, end) in [(0, 32), (32, 33), (33, 70)] {
                        _ = trove_gemm_q8_K(Int32(type.rawValue), w.base, w.rowBytes, Int32(columns), prepared.q8K!, prepared.q8KStride,
                                            Int32(tokens), o.baseAddress!, Int32(rows), Int32(begin), Int32(end))
                    }
                }
                #expect(pieces == out)
                for t in 0 ..< tokens {
                    let single = quantizer.prepare(xp.baseAddress! + t * columns, count: columns, for: w)
                    var y = [Float](repeating: 0, count: rows)
                    y.withUnsafeMutableBufferPointer { w.multiply(single, into: $0.baseAddress!, rows: 0 ..< rows) }
                    #expect(y == Array(out[t * rows ..< (t + 1) * rows]), "token \(t): prefill and decode must agree bit for bit")
                }
            }
        }
    }

    @Test("interleaved rows (AVX-512 VNNI) give the integer scalar twin's value bit for bit: decode at any split, and prefill",
          arguments: [QuantType.q4_K, .q6_K])
    func interleavedRowsMatchScalar(_ type: QuantType) {
        ProcessWideSettings.acquire()
        QuantizedKernels.force(level: 6)
        defer { ProcessWideSettings.release() }
        let rows = 48, columns = 768, tokens = 13
        let blocks = randomBlocks(type, rows: rows, columns: columns, seed: 31)
        let x = randomVector(tokens * columns, seed: 32)
        let quantizer = ActivationQuantizer(precision: .int8)
        blocks.withUnsafeBytes { raw in
            let w = QuantizedMatrix(rows: rows, columns: columns, type: type, base: raw.baseAddress!).withInterleavedRows()
            guard QuantizedKernels.level >= 6 else {
                #expect(w.interleaved == nil, "without VNNI the rows stay as the file has them")
                return
            }
            #expect(w.interleaved != nil)
            x.withUnsafeBufferPointer { xp in
                let batch = quantizer.prepare(xp.baseAddress!, count: columns, tokens: tokens, for: w)
                var out = [Float](repeating: .nan, count: tokens * rows), scratch = [Float](repeating: 0, count: 1)
                out.withUnsafeMutableBufferPointer { o in
                    scratch.withUnsafeMutableBufferPointer { w.multiplyBatch(batch, tokens: tokens, into: o.baseAddress!, outStride: rows, scratch: $0.baseAddress!) }
                }
                for t in 0 ..< tokens {
                    let rowQ = batch.q8K! + t * batch.q8KStride
                    let single = PreparedActivations(floats: xp.baseAddress! + t * columns, floatStride: columns, q8K: rowQ, q8KStride: 0)
                    var whole = [Float](repeating: .nan, count: rows), split = whole
                    whole.withUnsafeMutableBufferPointer { w.multiply(single, into: $0.baseAddress!, rows: 0 ..< rows) }
                    split.withUnsafeMutableBufferPointer { y in
                        for range in [0 ..< 5, 5 ..< 6, 6 ..< 21, 21 ..< 32, 32 ..< rows] { w.multiply(single, into: y.baseAddress! + range.lowerBound, rows: range) }
                    }
                    for r in 0 ..< rows {
                        let expected = Q8_K.dotScalar(type, w.row(r), rowQ, count: columns)
                        #expect(whole[r].bitPattern == expected.bitPattern, "token \(t) row \(r): decode \(whole[r]) vs scalar \(expected)")
                        #expect(split[r].bitPattern == expected.bitPattern, "token \(t) row \(r): split decode \(split[r]) vs scalar \(expected)")
                        #expect(out[t * rows + r].bitPattern == expected.bitPattern, "token \(t) row \(r): prefill \(out[t * rows + r]) vs scalar \(expected)")
                    }
                }
            }
        }
    }

    @Test("float32 precision, rows not whole 256-blocks and weights without integer kernels keep the float path")
    func floatPathKept() {
        let x = randomVector(512, seed: 1)
        let blocks = randomBlocks(.q4_K, rows: 2, columns: 512, seed: 2), q41 = randomBlocks(.q4_1, rows: 2, columns: 512, seed: 3)
        blocks.withUnsafeBytes { k in
            q41.withUnsafeBytes { f in
                let kq = QuantizedMatrix(rows: 2, columns: 512, type: .q4_K, base: k.baseAddress!)
                let q4 = QuantizedMatrix(rows: 2, columns: 512, type: .q4_1, base: f.baseAddress!)
                #expect(ActivationQuantizer(precision: .float32).prepare(x, count: 512, for: kq).q8K == nil)
                #expect(ActivationQuantizer(precision: .int8).prepare(x, count: 512, for: q4).q8K == nil)
                #expect(ActivationQuantizer(precision: .int8).prepare(x, count: 384, for: kq).q8K == nil)
                #expect(ActivationQuantizer(precision: .int8).prepare(x, count: 512, for: q4, kq).q8K != nil)
            }
        }
    }
}
