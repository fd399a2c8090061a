#if canImport(Glibc)
import Glibc
#endif

/// Chooses tokens from logits: penalties, then top-k → top-p → min-p on the untempered
/// distribution, then temperature and a seeded draw (llama.cpp's default sampler chain).
public struct Sampler {
    /// The parameters in force.
    public let parameters: SamplingParameters
    private var random: Xoshiro256StarStar
    private var candidates: [(id: Int32, logit: Float)] = []

    /// A sampler whose draws are determined by `parameters.seed`.
    public init(parameters: SamplingParameters) {
        self.parameters = parameters
        random = Xoshiro256StarStar(seed: parameters.seed)
        candidates.reserveCapacity(max(parameters.topK, 64))
    }

    /// The next token for `logits` ([vocab], modified in place by the penalties), given the
    /// `context` so far (prompt and generated tokens).
    public mutating func sample(_ logits: UnsafeMutableBufferPointer<Float>, context: [Int32]) -> Int32 {
        applyRepetitionPenalty(logits, context: context)
        banRepeatedNgrams(logits, context: context)
        if parameters.temperature <= 0 || parameters.topK == 1 { return Self.argmax(logits) }

        collectTopK(logits)
        // Probabilities before temperature, for top-p and min-p.
        let top = candidates[0].logit
        var probabilities = candidates.map { expf($0.logit - top) }
        let total = probabilities.reduce(0, +)
        for i in probabilities.indices { probabilities[i] /= total }
        var keep = candidates.count
        if parameters.topP < 1 {
            var cumulative: Float = 0
            for i in 0 ..< keep {
                cumulative += probabilities[i]
                if cumulative >= parameters.topP { keep = i + 1; break }
            }
        }
        if parameters.minP > 0 {
            let floor = parameters.minP * probabilities[0]
            while keep > 1 && probabilities[keep - 1] < floor { keep -= 1 }
        }
        // Temperature, then one draw from the kept candidates.
        let weights = (0 ..< keep).map { expf((candidates[$0].logit - top) / parameters.temperature) }
        let sum = weights.reduce(0, +)
        var target = random.nextUnitFloat() * sum
        for i in 0 ..< keep {
            target -= weights[i]
            if target < 0 { return candidates[i].id }
        }
        return candidates[keep - 1].id
    }

    /// Index of the largest logit, lowest index on ties.
    public static func argmax(_ logits: UnsafeMutableBufferPointer<Float>) -> Int32 {
        var best = 0
        var bestValue = logits[0]
        for i in 1 ..< logits.count where logits[i] > bestValue {
            best = i
            bestValue = logits[i]
        }
        return Int32(best)
    }

    private func applyRepetitionPenalty(_ logits: UnsafeMutableBufferPointer<Float>, context: [Int32]) {
        let penalty = parameters.repetitionPenalty
        guard penalty != 1, parameters.repetitionWindow > 0 else { return }
        var seen = Set<Int32>()
        for t in context.suffix(parameters.repetitionWindow) where seen.insert(t).inserted {
            let i = Int(t)
            logits[i] = logits[i] > 0 ? logits[i] / penalty : logits[i] * penalty
        }
    }

    /// For n = noRepeatNgramSize: every earlier occurrence of the last n − 1 tokens bans the
    /// token that followed it.
    private func banRepeatedNgrams(_ logits: UnsafeMutableBufferPointer<Float>, context: [Int32]) {
        let n = parameters.noRepeatNgramSize
        guard n > 0, context.count >= n - 1 else { return }
        if n == 1 {
            for t in context { logits[Int(t)] = -.infinity }
            return
        }
        let tail = context.suffix(n - 1)
        for start in 0 ..< max(0, context.count - n + 1) where context[start ..< start + n - 1].elementsEqual(tail) {
            logits[Int(context[start + n - 1])] = -.infinity
        }
    }

    /// `candidates` = the topK largest logits (all if topK is 0), largest first, ties by lower id.
    private mutating func collectTopK(_ logits: UnsafeMutableBufferPointer<Float>) {
        candidates.removeAll(keepingCapacity: true)
        let k = parameters.topK > 0 ? min(parameters.topK, logits.count) : logits.count
        if k == logits.count {
            for i in 0 ..< logits.count { candidates.append((Int32(i), logits[i])) }
            candidates.sort { $0.logit > $1.logit || ($0.logit == $1.logit && $0.id < $1.id) }
            return
        }
        // Insertion into a sorted list of k: most logits fall below its minimum and cost one compare.
        for i in 0 ..< logits.count {
            let v = logits[i]
            if candidates.count == k {
                if v <= candidates[k - 1].logit { continue }
                candidates.removeLast()
            }
            var j = candidates.count
            while j > 0 && candidates[j - 1].logit < v { j -= 1 }
            candidates.insert((Int32(i), v), at: j)
        }
    }
}

/// xoshiro256** (Blackman & Vigna), seeded through splitmix64: small, fast, and the same
/// sequence on every platform, so a seed reproduces a run.
struct Xoshiro256StarStar {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = s.3 << 45 | s.3 >> 19
        return result
    }

    /// A uniform float in [0, 1) from the top 24 bits.
    mutating func nextUnitFloat() -> Float { Float(next() >> 40) * (1 / Float(1 << 24)) }
}
