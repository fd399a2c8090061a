import BertEncoder
import Foundation
import LlamaDecoder
import Tensors

/// How the decoder's KV cache stores keys and values (`--kv-cache f32|f16`).
public typealias KVCachePrecision = LlamaDecoder.KVCachePrecision

/// How the encoder's linear layers compute (`--encoder-precision fp32|int8|bf16`).
public typealias EncoderPrecision = BertEncoder.EncoderPrecision

/// Trove's version, printed by `trove --version` and recorded in new index files.
public enum TroveVersion {
    public static let string = "0.1.0"
}

/// Where the index file is: an explicit path, else `$TROVE_INDEX`, else `index.sqlite` in
/// `$XDG_DATA_HOME/trove/`, else in `$HOME/.local/share/trove/` (the XDG base directories).
public enum IndexLocation {
    public static func resolve(_ explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let explicit { return URL(fileURLWithPath: explicit).standardizedFileURL }
        if let env = environment["TROVE_INDEX"], !env.isEmpty {
            return URL(fileURLWithPath: env).standardizedFileURL
        }
        // XDG: a relative $XDG_DATA_HOME is invalid and ignored.
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            return URL(fileURLWithPath: data).appendingPathComponent("trove/index.sqlite").standardizedFileURL
        }
        return home(environment).appendingPathComponent(".local/share/trove/index.sqlite")
    }
}

/// The user's home folder: `$HOME` when set (as every Unix tool honours it), else the account's.
func home(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
    if let home = environment["HOME"], home.hasPrefix("/") { return URL(fileURLWithPath: home).standardizedFileURL }
    return FileManager.default.homeDirectoryForCurrentUser
}

/// Where the two model files are, and how the decoder keeps its KV cache.
///
/// The model folder is an explicit path, else `$TROVE_MODELS`, else `~/.cache/trove/models`
/// (what Scripts/fetch-models.sh fills). The encoder is its `all-MiniLM-L6-v2/` folder; the
/// decoder its SmolLM2 GGUF unless another GGUF file is named.
public struct ModelLocation: Sendable, Equatable {
    public var folder: URL
    public var encoderFolder: URL
    public var decoderFile: URL
    /// float32 by default (exact); f16 halves the cache's memory for long contexts.
    public var decoderCache = KVCachePrecision.f32
    /// The encoder precision asked for (`--encoder-precision`), or nil: the one the index's vectors
    /// were computed in (`metadata.encoder_precision`; fp32 for an index without it, or no index).
    /// An index is never extended or searched in another precision (``TroveIndex`` refuses it).
    public var encoderPrecision: EncoderPrecision?

    public init(folder: URL, encoderFolder: URL? = nil, decoderFile: URL? = nil) {
        self.folder = folder
        self.encoderFolder = encoderFolder ?? folder.appendingPathComponent(Self.encoderName)
        self.decoderFile = decoderFile ?? folder.appendingPathComponent(Self.decoderRelativePath)
    }

    /// The locations in force given optional command-line overrides.
    public static func resolve(modelsFolder: String? = nil, decoderFile: String? = nil) -> ModelLocation {
        let folder: URL
        if let modelsFolder {
            folder = URL(fileURLWithPath: modelsFolder).standardizedFileURL
        } else if let env = ProcessInfo.processInfo.environment["TROVE_MODELS"], !env.isEmpty {
            folder = URL(fileURLWithPath: env).standardizedFileURL
        } else {
            folder = home().appendingPathComponent(".cache/trove/models")
        }
        return ModelLocation(folder: folder, decoderFile: decoderFile.map { URL(fileURLWithPath: $0).standardizedFileURL })
    }

    public static let encoderName = "all-MiniLM-L6-v2"
    public static let decoderRelativePath = "SmolLM2-135M-Instruct/SmolLM2-135M-Instruct.Q4_1.gguf"
}

/// Process-wide settings.
public enum TroveRuntime {
    /// Fixes how many threads numeric work uses (hand-written kernels and OpenBLAS).
    public static func configureThreads(_ count: Int) {
        Threads.configure(count: count)
    }
}
