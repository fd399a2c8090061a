/// The attention keys and values of every token seen so far, per layer, in **float32**
/// (llama.cpp defaults to f16; float32 is what the `exact_dequant_f32` fixture was made with,
/// and at 135M parameters the cache is small: 30 · 192 · 2 · 4 B = 46 KB per token).
///
/// Layout: keys and values are each [layers, capacity, kvHeads · headDimension]. Rows are
/// allocated for the whole capacity up front but the pages are only touched (made resident)
/// as positions fill, so a capacity of the model's full context costs nothing until used.
public final class KVCache {
    /// Decoder layers.
    public let layers: Int
    /// Floats per token per layer: kvHeads · headDimension (3 · 64 = 192 for SmolLM2).
    public let rowWidth: Int
    /// Positions the cache can hold.
    public let capacity: Int
    /// Positions filled (the next token's position).
    public internal(set) var count = 0

    let keys: UnsafeMutablePointer<Float>
    let values: UnsafeMutablePointer<Float>

    /// A cache for `config`, holding up to `capacity` positions (default: the model's context length).
    public init(config: LlamaConfig, capacity: Int? = nil) {
        layers = config.layerCount
        rowWidth = config.kvHeadCount * config.headDimension
        self.capacity = max(1, capacity ?? config.contextLength)
        let total = layers * self.capacity * rowWidth
        keys = .allocate(capacity: total)
        values = .allocate(capacity: total)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Forgets every position (a new conversation).
    public func reset() { count = 0 }

    /// Keeps the first `count` positions (a shared prompt prefix) and forgets the rest.
    public func truncate(to newCount: Int) { count = max(0, min(count, newCount)) }

    /// Key row of `layer` at `position` ([rowWidth] floats).
    @inline(__always)
    func key(layer: Int, position: Int) -> UnsafeMutablePointer<Float> {
        keys + (layer * capacity + position) * rowWidth
    }

    /// Value row of `layer` at `position` ([rowWidth] floats).
    @inline(__always)
    func value(layer: Int, position: Int) -> UnsafeMutablePointer<Float> {
        values + (layer * capacity + position) * rowWidth
    }
}
