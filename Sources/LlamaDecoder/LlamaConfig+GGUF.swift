import ModelFiles
import Tensors

extension LlamaConfig {
    /// Reads the configuration from GGUF metadata; `file` names the file in errors.
    ///
    /// The architecture is `general.architecture`, and every other key is prefixed by it
    /// (`qwen2.block_count`, `gemma3.attention.sliding_window`). What each family fixes rather
    /// than stores follows llama.cpp (`src/models/*.cpp`, `llama_model_rope_type`): RoPE pairs
    /// adjacent values for `llama` and halves for the others; gemma3 scales the embedding by
    /// √width, gates with GELU-tanh and slides 5 layers of every 6 by default. Refuses any other
    /// architecture, naming it and the supported ones, and values the graph cannot run (heads not
    /// dividing, an odd or too large rotary dimension, YaRN RoPE scaling).
    public init(metadata: [String: GGUFValue], file: String) throws {
        let name = metadata["general.architecture"]?.stringValue ?? "(none)"
        guard let architecture = DecoderArchitecture(rawValue: name) else {
            throw LlamaDecoderError.unsupportedArchitecture(file: file, found: name)
        }
        let p = name + "."
        func invalid(_ key: String, _ expected: String, _ found: String) -> LlamaDecoderError {
            .invalidMetadata(file: file, key: p + key, expected: expected, found: found)
        }
        func integer(_ key: String, default value: Int? = nil) throws -> Int {
            guard let entry = metadata[p + key] else {
                if let value { return value }
                throw LlamaDecoderError.missingMetadata(file: file, key: p + key)
            }
            guard let n = entry.integerValue, n > 0 else { throw invalid(key, "a positive integer", entry.description) }
            return n
        }
        func real(_ key: String, default value: Float? = nil) throws -> Float {
            guard let entry = metadata[p + key] else {
                if let value { return value }
                throw LlamaDecoderError.missingMetadata(file: file, key: p + key)
            }
            guard let x = entry.floatingValue, x > 0 else { throw invalid(key, "a positive float", entry.description) }
            return Float(x)
        }

        let width = try integer("embedding_length")
        let heads = try integer("attention.head_count")
        let kvHeads = try integer("attention.head_count_kv", default: heads)
        if metadata[p + "attention.key_length"] == nil, width % heads != 0 {
            throw invalid("attention.head_count", "a divisor of embedding_length \(width)", "\(heads)")
        }
        let headDimension = try integer("attention.key_length", default: width / heads)
        if let v = metadata[p + "attention.value_length"], v.integerValue != headDimension {
            throw invalid("attention.value_length", "\(headDimension) (attention.key_length)", v.description)
        }
        guard heads % kvHeads == 0 else { throw invalid("attention.head_count_kv", "a divisor of head_count \(heads)", "\(kvHeads)") }
        let pairing: RotaryEmbedding.Pairing = architecture == .llama ? .adjacent : .halves
        let rotary = try integer("rope.dimension_count", default: headDimension)
        guard rotary % 2 == 0, rotary <= headDimension, pairing == .halves || rotary == headDimension else {
            throw invalid("rope.dimension_count", pairing == .adjacent ? "\(headDimension) (the head dimension)"
                          : "an even number up to the head dimension \(headDimension)", "\(rotary)")
        }

        // RoPE scaling: `linear` divides every angle by rope.scaling.factor; llama.cpp's default type
        // is linear, and a factor of 0 or none means 1. Llama 3.x and Phi-3.5 scale by tensors instead
        // (`longrope`, written by newer converters for Phi-3.5, is the same graph at this context).
        var frequencyScale: Float = 1
        let scaling = metadata[p + "rope.scaling.type"]?.stringValue ?? "linear"
        switch scaling {
        case "none": break
        case "linear", "longrope":
            let factor = metadata[p + "rope.scaling.factor"]?.floatingValue ?? metadata[p + "rope.scale_linear"]?.floatingValue ?? 0
            if factor != 0 { frequencyScale = Float(1 / factor) }
        default:
            throw invalid("rope.scaling.type", "none, linear or longrope (YaRN is not supported)", scaling)
        }

        var vocabulary: Int
        if metadata[p + "vocab_size"] != nil {
            vocabulary = try integer("vocab_size")
        } else if let tokens = metadata["tokenizer.ggml.tokens"]?.arrayValues {
            vocabulary = tokens.count
        } else {
            throw LlamaDecoderError.missingMetadata(file: file, key: p + "vocab_size")
        }

        let layers = try integer("block_count")
        self.init(architecture: architecture, layerCount: layers, embeddingLength: width,
                  feedForwardLength: try integer("feed_forward_length"), headCount: heads, kvHeadCount: kvHeads,
                  headDimension: headDimension, ropeFrequencyBase: try real("rope.freq_base", default: 10_000),
                  ropePairing: pairing, rotaryDimension: rotary, ropeFrequencyScale: frequencyScale,
                  ropeMagnitudeScale: try real("rope.scaling.attn_factor", default: 1),
                  ropeOriginalContextLength: metadata[p + "rope.scaling.original_context_length"] == nil ? nil
                      : try integer("rope.scaling.original_context_length"),
                  rmsNormEpsilon: try real("attention.layer_norm_rms_epsilon"), contextLength: try integer("context_length"),
                  vocabularySize: vocabulary)

        if architecture == .gemma3 {
            // llama.cpp src/models/gemma3.cpp: x·√width in, GeGLU-tanh, optional soft-capping; the
            // 27B (62 layers) scales q by 1/√(width/heads) (Gemma's query_pre_attn_scalar), others 1/√key_length.
            embeddingScale = Float(width).squareRoot()
            activation = .geluTanh
            if layers == 62 { attentionScale = 1 / Float(width / heads).squareRoot() }
            finalLogitSoftcap = metadata[p + "final_logit_softcapping"]?.floatingValue.map(Float.init)
            if let window = metadata[p + "attention.sliding_window"]?.integerValue, window > 0 {
                slidingWindow = window
                slidingLayers = try Self.slidingLayers(metadata[p + "attention.sliding_window_pattern"], layers: layers) {
                    invalid("attention.sliding_window_pattern", "an integer or one boolean per layer", $0)
                }
                localRopeFrequencyBase = try real("rope.freq_base_swa", default: 10_000)
            }
        }
    }

    /// The sliding layers from `attention.sliding_window_pattern`: n (default 6) slides layers with
    /// l mod n < n − 1 (every n-th is global; 0 slides all), or an array with one boolean per layer.
    static func slidingLayers(_ value: GGUFValue?, layers: Int, invalid: (String) -> LlamaDecoderError) throws -> Set<Int> {
        if case let .array(_, values)? = value {
            guard values.count == layers else { throw invalid("\(values.count) values for \(layers) layers") }
            var sliding = Set<Int>()
            for (l, v) in values.enumerated() {
                guard case let .bool(b) = v else { throw invalid(v.description) }
                if b { sliding.insert(l) }
            }
            return sliding
        }
        guard let n = value.map({ $0.integerValue }) ?? 6, n >= 0 else { throw invalid(value?.description ?? "") }
        return Set((0 ..< layers).filter { n == 0 || $0 % n < n - 1 })
    }
}
