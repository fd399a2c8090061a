import ArgumentParser
import Foundation
import Ingest
import Trove

/// `--index FILE`: which index file a command reads or writes.
struct IndexOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The index file (SQLite).", discussion:
        "Default: $TROVE_INDEX, else $XDG_DATA_HOME/trove/index.sqlite, else ~/.local/share/trove/index.sqlite.", valueName: "file"))
    var index: String?

    /// The index path in force.
    var indexURL: URL { IndexLocation.resolve(index) }
}

/// `--models DIR`, `--model FILE`: where the encoder and decoder files are.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The model folder.", discussion:
        "Default: $TROVE_MODELS, else ~/.cache/trove/models (`trove doctor` says what is missing there).", valueName: "dir"))
    var models: String?

    @Option(name: .long, help: ArgumentHelp("A GGUF decoder (llama, qwen2, qwen3, gemma3, phi3) to generate with, instead of SmolLM2-135M-Instruct.", valueName: "file"))
    var model: String?

    @Option(name: .long, help: ArgumentHelp("Threads for numeric work (default: $TROVE_THREADS, else all cores).", valueName: "n"))
    var threads: Int?

    /// The model locations in force; also fixes the thread count.
    func location() -> ModelLocation {
        if let threads { TroveRuntime.configureThreads(threads) }
        return ModelLocation.resolve(modelsFolder: models, decoderFile: model)
    }

    func validate() throws {
        if let threads, threads < 1 || threads > 256 {
            throw ValidationError("--threads must be between 1 and 256, got \(threads)")
        }
    }
}

/// `--kv-cache f32|f16`: how the decoder keeps its keys and values (the commands that generate).
struct KVCacheOptions: ParsableArguments {
    @Option(name: .customLong("kv-cache"), help: ArgumentHelp(
        "How the decoder caches keys and values: f32 (default, exact) or f16 (half the memory, for long contexts).",
        valueName: "type"))
    var kvCache: KVCachePrecision = .f32

    /// `location` with this cache.
    func applied(to location: ModelLocation) -> ModelLocation {
        var location = location
        location.decoderCache = kvCache
        return location
    }
}

/// `--encoder-precision fp32|int8|bf16`: how the encoder computes (the commands that embed chunks
/// or texts: ingest, watch, eval, embed). Searches use the precision recorded in the index.
struct EncoderPrecisionOptions: ParsableArguments {
    @Option(name: .customLong("encoder-precision"), help: ArgumentHelp(
        "How the encoder computes: fp32 (default, exact), int8 (about 2x faster; vectors within cosine 0.995 of fp32) or bf16 (needs AVX-512 BF16).",
        discussion: "Recorded in the index (metadata encoder_precision): later ingests and every search use it, and another precision is refused. Default: the index's precision, else fp32.",
        valueName: "precision"))
    var encoderPrecision: EncoderPrecision?

    /// `location` with this precision.
    func applied(to location: ModelLocation) -> ModelLocation {
        var location = location
        location.encoderPrecision = encoderPrecision
        return location
    }
}

/// `--json`: machine-readable output for scripts.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON (one object, or one per line where said) instead of text.")
    var json = false
}

/// A size in bytes as options take it: `1048576`, `10M`, `2G`, `512K` (binary units; see
/// ``FileSizeLimits/parseSize(_:)``).
struct ByteCount: ExpressibleByArgument {
    let bytes: Int64

    init?(argument: String) {
        guard let bytes = FileSizeLimits.parseSize(argument) else { return nil }
        self.bytes = bytes
    }
}

/// `--max-file-size SIZE`: the largest file an ingest reads (`trove ingest`, `trove serve`).
struct FileSizeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Skip files larger than this: bytes, or a size like 10M or 2G.",
        discussion: "Default: 64M for text, Markdown, HTML, code and JSONL (read whole into memory), " +
            "512M for PDF (streamed; its extracted text is held to 64M) and for DOCX, ODT, PPTX and EPUB " +
            "(read a part at a time; the parts holding their text are held to 64M together).",
        valueName: "size"))
    var maxFileSize: ByteCount?

    /// The limits in force: one for every format when given, else the defaults.
    var limits: FileSizeLimits {
        maxFileSize.map { FileSizeLimits(allFormats: $0.bytes) } ?? .standard
    }
}

/// `--dense-weight` and `--passage-weight`: the weights of ``RankingWeights``, for studying the
/// ranking on one's own questions (the defaults were chosen on SciFact train and a folder set).
struct RankingOptions: ParsableArguments {
    @Option(name: .customLong("dense-weight"), help: ArgumentHelp(
        "Hybrid: weight of the cosine, the keyword evidence gets the rest (default \(RankingWeights.default.dense)).", valueName: "w"))
    var dense: Double = RankingWeights.default.dense

    @Option(name: .customLong("passage-weight"), help: ArgumentHelp(
        "Keyword evidence: weight of the passage's BM25, its document's gets the rest (default \(RankingWeights.default.passage)).", valueName: "w"))
    var passage: Double = RankingWeights.default.passage

    var weights: RankingWeights { RankingWeights(dense: dense, passage: passage) }

    func validate() throws {
        for (name, value) in [("--dense-weight", dense), ("--passage-weight", passage)] where !(0...1).contains(value) {
            throw ValidationError("\(name) must be between 0 and 1, got \(value)")
        }
    }
}

/// `--path`, `--type`, `--since`, `--until`, `--collection`: which documents `search` and `ask` may use.
struct FilterOptions: ParsableArguments {
    @Option(name: .customLong("path"), help: ArgumentHelp(
        "Only documents whose path matches this glob (repeatable; absolute, or matched against the end of the path).", valueName: "glob"))
    var paths: [String] = []

    @Option(name: .customLong("type"), help: ArgumentHelp(
        "Only this format (md, txt, html, pdf, docx, odt, pptx, epub, man, code, jsonl) or file extension (repeatable).", valueName: "type"))
    var types: [String] = []

    @Option(name: .long, help: ArgumentHelp("Only files modified on or after this date (YYYY-MM-DD, UTC, or ISO 8601).", valueName: "date"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Only files modified before the end of this date (YYYY-MM-DD, UTC, or ISO 8601).", valueName: "date"))
    var until: String?

    @Option(name: .customLong("collection"), help: ArgumentHelp(
        "Only documents of this collection (repeatable; see `trove list --collections`).", valueName: "name"))
    var collections: [String] = []

    func validate() throws {
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, Self.date(value) == nil {
                throw ValidationError("\(name) must be a date such as 2026-12-06 or 2026-12-06T10:00:00Z, got '\(value)'")
            }
        }
    }

    /// The filter (a date alone means its whole day: --until 2026-12-06 keeps that day).
    var filter: SearchFilter {
        let dayOnly = { (text: String) in text.count == 10 }
        return SearchFilter(paths: paths, types: types, since: since.flatMap(Self.date),
                            until: until.flatMap { text in Self.date(text).map { dayOnly(text) ? $0.addingTimeInterval(86_400) : $0 } },
                            collections: collections)
    }

    static func date(_ text: String) -> Date? { SearchFilter.date(text) }
}

extension KVCachePrecision: ExpressibleByArgument {}
extension EncoderPrecision: ExpressibleByArgument {}
