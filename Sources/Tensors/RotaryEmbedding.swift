#if canImport(Glibc)
import Glibc
#endif

/// Rotary position embedding (Su et al. 2021) in llama.cpp's "normal" mode, the one it uses for
/// `LLM_ARCH_LLAMA` (`llama_model_rope_type` → `LLAMA_ROPE_TYPE_NORM`): adjacent pairs
/// (x[2i], x[2i+1]) of each head rotate by θ_i = pos · base^(−2i/d). GGUF's converter permutes
/// the Q/K rows of Hugging Face checkpoints so that this pairing is the right one.
///
/// Angles are computed as ggml does (`ggml_rope_cache_init`): θ starts at `pos` and is multiplied
/// by `base^(−2/d)` in float32 for each following pair; cos/sin are tabulated per position once
/// and shared by every layer and head.
public final class RotaryEmbedding: @unchecked Sendable {
    /// Dimensions rotated per head (the head dimension, 64 for SmolLM2).
    public let dimension: Int
    /// `llama.rope.freq_base` (100000 for SmolLM2).
    public let base: Float
    /// [positions, dimension/2] interleaved (cos, sin) pairs.
    private var table: [Float] = []
    private var positions = 0

    /// A rotation for heads of `dimension` values with frequency base `base`.
    public init(dimension: Int, base: Float) {
        self.dimension = dimension
        self.base = base
    }

    /// Tabulates cos/sin for every position below `count` (call before running threads).
    public func prepare(positions count: Int) {
        guard count > positions else { return }
        let newCount = max(count, positions * 2, 64)
        let pairs = dimension / 2
        let thetaScale = powf(base, -2 / Float(dimension))
        table.reserveCapacity(newCount * pairs * 2)
        for p in positions ..< newCount {
            var theta = Float(p)
            for _ in 0 ..< pairs {
                table.append(cosf(theta))
                table.append(sinf(theta))
                theta *= thetaScale
            }
        }
        positions = newCount
    }

    /// Rotates `heads` consecutive heads of ``dimension`` values at `x`, for position `position`
    /// (``prepare(positions:)`` must have covered it): `(a, b) → (a·cos − b·sin, a·sin + b·cos)`.
    @inlinable
    public func apply(_ x: UnsafeMutablePointer<Float>, heads: Int, position: Int) {
        withTable(position) { cs in
            for h in 0 ..< heads {
                let v = x + h * dimension
                for i in 0 ..< dimension / 2 {
                    let c = cs[2 * i], s = cs[2 * i + 1]
                    let a = v[2 * i], b = v[2 * i + 1]
                    v[2 * i] = a * c - b * s
                    v[2 * i + 1] = a * s + b * c
                }
            }
        }
    }

    /// Calls `body` with the (cos, sin) pairs of `position`.
    @usableFromInline
    func withTable(_ position: Int, _ body: (UnsafePointer<Float>) -> Void) {
        table.withUnsafeBufferPointer { body($0.baseAddress! + position * dimension) }
    }
}

/// The scalar twin of ``RotaryEmbedding/apply(_:heads:position:)`` from the textbook formula in
/// float64 (θ_i = pos · base^(−2i/d), adjacent pairs); tests compare the two.
public func rotaryEmbeddingScalar(_ x: UnsafeMutablePointer<Float>, heads: Int, dimension: Int, position: Int, base: Double) {
    for h in 0 ..< heads {
        for i in 0 ..< dimension / 2 {
            let theta = Double(position) * pow(base, -2 * Double(i) / Double(dimension))
            let a = Double(x[h * dimension + 2 * i]), b = Double(x[h * dimension + 2 * i + 1])
            x[h * dimension + 2 * i] = Float(a * cos(theta) - b * sin(theta))
            x[h * dimension + 2 * i + 1] = Float(a * sin(theta) + b * cos(theta))
        }
    }
}
