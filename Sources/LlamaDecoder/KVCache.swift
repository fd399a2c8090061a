import Tensors

/// How the KV cache stores keys and values.
public enum KVCachePrecision: String, Sendable, CaseIterable {
    /// float32: exact (what the `exact_dequant_f32` references were made with); the default.
    case f32
    /// IEEE half, as llama.cpp's default cache: half the memory per position, for longer contexts;
    /// each key and value is rounded to 11 significant bits once, when its position is written.
    case f16

    /// Bytes per cached number.
    var bytes: Int { self == .f32 ? 4 : 2 }
}

/// The attention keys and values of every token seen so far, per layer, in float32 (default) or
/// f16 (``KVCachePrecision``). At 135M parameters a float32 cache is small (30 · 192 · 2 · 4 B =
/// 46 KB per token); a 1B-class model's is 8–32× that, where f16 halves a long context's memory.
///
/// Layout: keys and values are each [layers, capacity, kvHeads · headDimension]. Rows are
/// allocated for the whole capacity up front but the pages are only touched (made resident)
/// as positions fill, so a capacity of the model's full context costs nothing until used.
///
/// The forward pass writes a position's rows in float32 (``rowsForWriting(layer:position:count:)``:
/// the cache itself, or for f16 a staging buffer) and, once biases, norms and RoPE are applied,
/// ``commitRows(layer:position:count:)`` stores them (f16: narrowed). Attention reads them
/// through ``dotKey(_:layer:position:offset:count:)`` and ``addValue(_:layer:position:offset:into:count:)``.
public final class KVCache {
    /// Decoder layers.
    public let layers: Int
    /// Numbers per token per layer: kvHeads · headDimension (3 · 64 = 192 for SmolLM2).
    public let rowWidth: Int
    /// Positions the cache can hold.
    public let capacity: Int
    /// How keys and values are stored.
    public let precision: KVCachePrecision
    /// Positions filled (the next token's position).
    public internal(set) var count = 0

    private let keys: UnsafeMutableRawPointer
    private let values: UnsafeMutableRawPointer
    /// f16: float32 rows being written (keys, then values), `stagingRows` of each.
    private var staging: UnsafeMutablePointer<Float>?
    private var stagingRows = 0

    /// A cache for `config`, holding up to `capacity` positions (default: the model's context length).
    public init(config: LlamaConfig, capacity: Int? = nil, precision: KVCachePrecision = .f32) {
        layers = config.layerCount
        rowWidth = config.kvHeadCount * config.headDimension
        self.capacity = max(1, capacity ?? config.contextLength)
        self.precision = precision
        let bytes = layers * self.capacity * rowWidth * precision.bytes
        keys = .allocate(byteCount: bytes, alignment: 64)
        values = .allocate(byteCount: bytes, alignment: 64)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
        staging?.deallocate()
    }

    /// Forgets every position (a new conversation).
    public func reset() { count = 0 }

    /// Keeps the first `count` positions (a shared prompt prefix) and forgets the rest.
    public func truncate(to newCount: Int) { count = max(0, min(count, newCount)) }

    /// Bytes from the start of the keys (or values) to `layer`'s row at `position`.
    @inline(__always)
    private func offset(layer: Int, position: Int) -> Int {
        (layer * capacity + position) * rowWidth * precision.bytes
    }

    /// Where the forward pass writes `count` consecutive positions' key and value rows of `layer`,
    /// in float32 ([count, rowWidth] each), before ``commitRows(layer:position:count:)``.
    func rowsForWriting(layer: Int, position: Int, count: Int) -> (keys: UnsafeMutablePointer<Float>, values: UnsafeMutablePointer<Float>) {
        switch precision {
        case .f32:
            let at = offset(layer: layer, position: position)
            return ((keys + at).assumingMemoryBound(to: Float.self), (values + at).assumingMemoryBound(to: Float.self))
        case .f16:
            if count > stagingRows {
                staging?.deallocate()
                staging = .allocate(capacity: 2 * count * rowWidth)
                stagingRows = count
            }
            return (staging!, staging! + stagingRows * rowWidth)
        }
    }

    /// Stores the rows written since ``rowsForWriting(layer:position:count:)`` (f16: narrowed).
    func commitRows(layer: Int, position: Int, count: Int) {
        guard precision == .f16, let staging else { return }
        let at = offset(layer: layer, position: position)
        F16.quantize(staging, into: keys + at, count: count * rowWidth)
        F16.quantize(staging + stagingRows * rowWidth, into: values + at, count: count * rowWidth)
    }

    /// The float32 key and value rows of `layer` from `position` on, numbers from `first`, rows
    /// `rowWidth` floats apart; nil for an f16 cache (read row by row through ``dotKey``).
    @inline(__always)
    func floatRows(layer: Int, position: Int, offset first: Int) -> (keys: UnsafePointer<Float>, values: UnsafePointer<Float>)? {
        guard precision == .f32 else { return nil }
        let at = offset(layer: layer, position: position) + first * precision.bytes
        return (UnsafePointer((keys + at).assumingMemoryBound(to: Float.self)), UnsafePointer((values + at).assumingMemoryBound(to: Float.self)))
    }

    /// `q · k` for the cached key of `layer` at `position`, numbers `offset ..< offset + count` of its row.
    @inline(__always)
    func dotKey(_ q: UnsafePointer<Float>, layer: Int, position: Int, offset first: Int, count: Int) -> Float {
        let row = keys + offset(layer: layer, position: position) + first * precision.bytes
        switch precision {
        case .f32: return dotProduct(q, row.assumingMemoryBound(to: Float.self), count: count)
        case .f16: return F16.dot(row, q, count: count)
        }
    }

    /// `out += weight · v` for the cached value of `layer` at `position`, numbers `offset ..< offset + count`.
    @inline(__always)
    func addValue(_ weight: Float, layer: Int, position: Int, offset first: Int, into out: UnsafeMutablePointer<Float>, count: Int) {
        let row = values + offset(layer: layer, position: position) + first * precision.bytes
        switch precision {
        case .f32: axpy(weight, row.assumingMemoryBound(to: Float.self), into: out, count: count)
        case .f16: F16.addScaled(weight, row, into: out, count: count)
        }
    }
}
