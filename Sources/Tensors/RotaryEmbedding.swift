#if canImport(Glibc)
import Glibc
#endif

/// Rotary position embedding (Su et al. 2021) as ggml computes it (`ggml_rope_ext`, CPU): pair i
/// of each head rotates by θ_i = s · pos · base^(−2i/n_rot) / f_i, and both cos and sin are
/// multiplied by m, where
///
/// - s is the linear interpolation factor (`rope.scaling.factor` = 1/s, type `linear`),
/// - f_i are per-pair frequency factors (Llama 3.x's `rope_freqs`, Phi-3.5's `rope_factors_short`),
/// - m is a magnitude scale (`rope.scaling.attn_factor`, Phi-3.5's long-context correction).
///
/// Two pairings exist: `.adjacent` rotates (x[2i], x[2i+1]) (llama.cpp's "normal" mode, used for
/// `llama`: GGUF's converter permutes llama's Q/K rows for it); `.halves` rotates (x[i], x[i+n_rot/2])
/// (llama.cpp's "neox" mode: qwen2, qwen3, phi3, gemma3). Only the first `rotatedDimension` values
/// of a head rotate (partial rotary); the rest pass through.
///
/// Angles are computed as ggml does (`ggml_rope_cache_init`): θ starts at `pos` and is multiplied
/// by `base^(−2/n_rot)` in float32 for each following pair; cos/sin are tabulated per position once
/// and shared by every layer and head.
public final class RotaryEmbedding: @unchecked Sendable {
    /// Which values of a head form a rotating pair.
    public enum Pairing: Sendable, Equatable {
        /// (x[2i], x[2i+1]): llama.cpp's `LLAMA_ROPE_TYPE_NORM`.
        case adjacent
        /// (x[i], x[i + n_rot/2]): llama.cpp's `LLAMA_ROPE_TYPE_NEOX` (GPT-NeoX, Hugging Face's `rotate_half`).
        case halves
    }

    /// Values per head (the head dimension, 64 for SmolLM2).
    public let dimension: Int
    /// Values rotated per head, from the start of the head (`rope.dimension_count`; = dimension unless partial).
    public let rotatedDimension: Int
    /// `rope.freq_base` (100000 for SmolLM2).
    public let base: Float
    /// Which values pair up.
    public let pairing: Pairing
    /// s in θ = s · pos · base^(−2i/n): 1 / `rope.scaling.factor` for linear scaling, else 1.
    public let frequencyScale: Float
    /// f_i, one per pair (rotatedDimension / 2), dividing each pair's angle; nil for none.
    public let frequencyFactors: [Float]?
    /// m, multiplying cos and sin (1 unless the file says otherwise).
    public let magnitudeScale: Float
    /// [positions, rotatedDimension/2] interleaved (cos, sin) pairs.
    private var table: [Float] = []
    private var positions = 0

    /// A rotation for heads of `dimension` values, `rotatedDimension` of them rotating (default all).
    public init(dimension: Int, rotatedDimension: Int? = nil, base: Float, pairing: Pairing = .adjacent,
                frequencyScale: Float = 1, frequencyFactors: [Float]? = nil, magnitudeScale: Float = 1) {
        self.dimension = dimension
        self.rotatedDimension = rotatedDimension ?? dimension
        self.base = base
        self.pairing = pairing
        self.frequencyScale = frequencyScale
        self.frequencyFactors = frequencyFactors
        self.magnitudeScale = magnitudeScale
    }

    /// Tabulates cos/sin for every position below `count` (call before running threads).
    public func prepare(positions count: Int) {
        guard count > positions else { return }
        let newCount = max(count, positions * 2, 64)
        let pairs = rotatedDimension / 2
        let thetaScale = powf(base, -2 / Float(rotatedDimension))
        table.reserveCapacity(newCount * pairs * 2)
        for p in positions ..< newCount {
            var theta = Float(p)
            for i in 0 ..< pairs {
                // ggml's rope_yarn without extrapolation mixing: θ' = s · (θ / f_i); (m cos θ', m sin θ')
                let angle = frequencyScale * (theta / (frequencyFactors?[i] ?? 1))
                table.append(cosf(angle) * magnitudeScale)
                table.append(sinf(angle) * magnitudeScale)
                theta *= thetaScale
            }
        }
        positions = newCount
    }

    /// Rotates `heads` consecutive heads of ``dimension`` values at `x`, for position `position`
    /// (``prepare(positions:)`` must have covered it): `(a, b) → (a·cos − b·sin, a·sin + b·cos)`.
    @inlinable
    public func apply(_ x: UnsafeMutablePointer<Float>, heads: Int, position: Int) {
        let half = rotatedDimension / 2
        withTable(position) { cs in
            for h in 0 ..< heads {
                let v = x + h * dimension
                switch pairing {
                case .adjacent:                                   // pair i: (v[2i], v[2i+1])
                    for i in 0 ..< half {
                        let c = cs[2 * i], s = cs[2 * i + 1]
                        let a = v[2 * i], b = v[2 * i + 1]
                        v[2 * i] = a * c - b * s
                        v[2 * i + 1] = a * s + b * c
                    }
                case .halves:                                     // pair i: (v[i], v[i + n/2])
                    for i in 0 ..< half {
                        let c = cs[2 * i], s = cs[2 * i + 1]
                        let a = v[i], b = v[i + half]
                        v[i] = a * c - b * s
                        v[i + half] = a * s + b * c
                    }
                }
            }
        }
    }

    /// Calls `body` with the (cos, sin) pairs of `position`.
    @usableFromInline
    func withTable(_ position: Int, _ body: (UnsafePointer<Float>) -> Void) {
        table.withUnsafeBufferPointer { body($0.baseAddress! + position * rotatedDimension) }
    }
}

/// The scalar twin of ``RotaryEmbedding/apply(_:heads:position:)`` from the textbook formula in
/// float64 (θ_i = s · pos · base^(−2i/n) / f_i, scaled by m), for either pairing; tests compare the two.
public func rotaryEmbeddingScalar(_ x: UnsafeMutablePointer<Float>, heads: Int, dimension: Int, position: Int, base: Double,
                                  rotatedDimension: Int? = nil, pairing: RotaryEmbedding.Pairing = .adjacent,
                                  frequencyScale: Double = 1, frequencyFactors: [Float]? = nil, magnitudeScale: Double = 1) {
    let n = rotatedDimension ?? dimension
    for h in 0 ..< heads {
        for i in 0 ..< n / 2 {
            let factor = Double(frequencyFactors?[i] ?? 1)
            let theta = frequencyScale * Double(position) * pow(base, -2 * Double(i) / Double(n)) / factor
            let (j, k) = pairing == .adjacent ? (2 * i, 2 * i + 1) : (i, i + n / 2)
            let a = Double(x[h * dimension + j]), b = Double(x[h * dimension + k])
            x[h * dimension + j] = Float(magnitudeScale * (a * cos(theta) - b * sin(theta)))
            x[h * dimension + k] = Float(magnitudeScale * (a * sin(theta) + b * cos(theta)))
        }
    }
}
