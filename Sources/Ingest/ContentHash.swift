import Foundation

/// SHA-256 (FIPS 180-4) of a file's bytes or of a text, as lower-case hex: the `content_hash` that
/// tells an edited file from a touched or renamed one.
///
/// Written here because CryptoKit does not exist on Linux and swift-crypto is not a dependency;
/// SHA-256 rather than a faster non-cryptographic hash because the value is stored in the index
/// for scripts too, where `sha256sum` is the tool anyone can compare it with.
public struct ContentHash {
    /// H0…H7: the first 32 bits of the fractional parts of the square roots of the first 8 primes.
    private var state: [UInt32] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ]
    /// Bytes not yet forming a whole 64-byte block.
    private var pending: [UInt8] = []
    /// Total bytes fed so far.
    private var length: UInt64 = 0

    /// An empty hash state.
    public init() { pending.reserveCapacity(64) }

    /// SHA-256 of `data` as 64 hex digits.
    public static func sha256(_ data: Data) -> String {
        var hash = ContentHash()
        hash.update(data)
        return hash.hexDigest()
    }

    /// SHA-256 of the UTF-8 bytes of `text`.
    public static func sha256(_ text: String) -> String { sha256(Data(text.utf8)) }

    /// Feeds more bytes.
    public mutating func update(_ data: Data) {
        length &+= UInt64(data.count)
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var offset = 0
            if !pending.isEmpty {
                let take = min(64 - pending.count, raw.count)
                pending.append(contentsOf: raw[0..<take])
                offset = take
                if pending.count == 64 {
                    pending.withUnsafeBytes { compress(block: $0) }
                    pending.removeAll(keepingCapacity: true)
                }
            }
            while raw.count - offset >= 64 {
                compress(block: UnsafeRawBufferPointer(rebasing: raw[offset ..< offset + 64]))
                offset += 64
            }
            pending.append(contentsOf: raw[offset...])
        }
    }

    /// Pads (0x80, zeros, 64-bit big-endian bit length) and returns the digest as lower-case hex.
    public func hexDigest() -> String {
        var copy = self
        let bitLength = length &* 8
        var tail: [UInt8] = [0x80]
        let zeros = (64 + 56 - (pending.count + 1) % 64) % 64
        tail += [UInt8](repeating: 0, count: zeros)
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        copy.update(Data(tail))
        return copy.state.map { word in
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 8 - hex.count) + hex
        }.joined()
    }

    /// One 64-byte block: message schedule W[0..<64] (on the stack), then 64 rounds.
    private mutating func compress(block: UnsafeRawBufferPointer) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for t in 0..<16 { w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: t * 4, as: UInt32.self)) }
            for t in 16..<64 {
                // σ0(x) = ROTR7 ⊕ ROTR18 ⊕ SHR3; σ1(x) = ROTR17 ⊕ ROTR19 ⊕ SHR10
                let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
                let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
                w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, h) = (state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7])
            for t in 0..<64 {
                // T1 = h + Σ1(e) + Ch(e,f,g) + K[t] + W[t];  T2 = Σ0(a) + Maj(a,b,c)
                let sigma1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                let choose = (e & f) ^ (~e & g)
                let t1 = h &+ sigma1 &+ choose &+ Self.k[t] &+ w[t]
                let sigma0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                let majority = (a & b) ^ (a & c) ^ (b & c)
                let t2 = sigma0 &+ majority
                (h, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
            }
            state[0] &+= a; state[1] &+= b; state[2] &+= c; state[3] &+= d
            state[4] &+= e; state[5] &+= f; state[6] &+= g; state[7] &+= h
        }
    }

    @inline(__always) private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

    /// K[0..<64]: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]
}
