import Foundation

/// The on-disk form of an embedding: `dimension` float32 values, little-endian, packed
/// (`4 × dimension` bytes). Any SQLite client can read it, e.g. numpy:
/// `np.frombuffer(blob, dtype='<f4')`.
public enum VectorBlob {
    /// Packs `vector` into `4 × vector.count` little-endian bytes.
    public static func data(from vector: [Float]) -> Data {
        var data = Data(count: vector.count * 4)
        data.withUnsafeMutableBytes { raw in
            for (i, value) in vector.enumerated() {
                raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self)
            }
        }
        return data
    }

    /// Unpacks a BLOB written by ``data(from:)``; `nil` if its length is not a multiple of 4.
    public static func vector(from data: Data) -> [Float]? {
        guard data.count % 4 == 0 else { return nil }
        var vector = [Float](repeating: 0, count: data.count / 4)
        vector.withUnsafeMutableBufferPointer { destination in
            data.withUnsafeBytes { copyLittleEndian(from: $0, to: destination) }
        }
        return vector
    }

    /// Copies `source.count / 4` little-endian float32 values into `destination` (same count).
    /// On a little-endian host (every machine Trove targets) this is one `memcpy`.
    static func copyLittleEndian(from source: UnsafeRawBufferPointer, to destination: UnsafeMutableBufferPointer<Float>) {
        #if _endian(little)
        if let base = source.baseAddress, let target = destination.baseAddress {
            UnsafeMutableRawPointer(target).copyMemory(from: base, byteCount: source.count)
        }
        #else
        for i in 0..<destination.count {
            let bits = source.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)
            destination[i] = Float(bitPattern: UInt32(littleEndian: bits))
        }
        #endif
    }
}
