import Foundation
import Testing
@testable import Ingest

/// Test vectors from FIPS 180-2, Appendix B (SHA-256), and NIST's "one million a" example.
@Suite("SHA-256")
struct ContentHashMatchesKnownVectorsTests {
    @Test("digests match the FIPS 180-2 examples", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (String(repeating: "a", count: 1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
    ])
    func knownVectors(message: String, digest: String) {
        #expect(ContentHash.sha256(message) == digest)
    }

    @Test("feeding bytes in pieces of any size gives the digest of the whole", arguments: [1, 3, 55, 56, 63, 64, 65, 1000])
    func incremental(pieceSize: Int) {
        let bytes = Data((0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        var hash = ContentHash()
        for start in stride(from: 0, to: bytes.count, by: pieceSize) {
            hash.update(bytes.subdata(in: start ..< min(start + pieceSize, bytes.count)))
        }
        #expect(hash.hexDigest() == ContentHash.sha256(bytes))
    }

    @Test("lengths around the padding boundary (55, 56, 64 bytes) hash as sha256sum does", arguments: [
        (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
    ])
    func paddingBoundaries(count: Int, digest: String) {
        #expect(ContentHash.sha256(String(repeating: "a", count: count)) == digest)
    }
}
