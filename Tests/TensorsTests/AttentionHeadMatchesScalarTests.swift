import Testing
import TroveTestSupport
@testable import Tensors

/// The encoder's attention for one (text, head): the fused kernel (AVX-512, head size 32) and the
/// sgemm path (other head sizes, or without AVX-512) against the float64 scalar twin, on token
/// counts around the kernel's 6-row blocks and 16-key vectors, on strided views as the encoder has.
@Suite("Attention head matches its scalar twin", .serialized)
struct AttentionHeadMatchesScalarTests {
    @Test("within 3e-5 of the float64 twin (values up to 4, sums of 256)", arguments: [1, 5, 7, 16, 17, 64, 250, 256], [32, 16])
    func matches(_ tokens: Int, _ headSize: Int) {
        ProcessWideSettings.acquire()
        defer { ProcessWideSettings.release() }
        let hidden = 3 * headSize, stride = 3 * hidden          // three heads, Q | K | V packed
        let packed = randomVector(tokens * stride, seed: UInt64(tokens * 31 + headSize)).map { $0 * 2 }
        var fast = [Float](repeating: 0, count: tokens * hidden), slow = fast
        var scratch = [Float](repeating: 0, count: attentionScratchCount(tokens: tokens, headSize: headSize))
        let scale = 1 / Float(headSize).squareRoot()
        packed.withUnsafeBufferPointer { p in
            for h in 0..<3 {
                let q = p.baseAddress! + h * headSize
                fast.withUnsafeMutableBufferPointer { out in
                    scratch.withUnsafeMutableBufferPointer { s in
                        attentionHead(query: q, key: q + hidden, value: q + 2 * hidden, stride: stride, tokens: tokens,
                                      headSize: headSize, scale: scale, output: out.baseAddress! + h * headSize,
                                      outputStride: hidden, scratch: s.baseAddress!)
                    }
                }
                slow.withUnsafeMutableBufferPointer { out in
                    attentionHeadScalar(query: q, key: q + hidden, value: q + 2 * hidden, stride: stride, tokens: tokens,
                                        headSize: headSize, scale: scale, output: out.baseAddress! + h * headSize, outputStride: hidden)
                }
            }
        }
        let worst = zip(fast, slow).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 3e-5, "tokens \(tokens), head size \(headSize), fused \(hasFusedAttention(headSize: headSize)): max |Δ| \(worst)")
    }
}
