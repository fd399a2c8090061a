import Foundation

/// Where tests find the reference fixtures and the model files.
///
/// A missing fixture or model is a failure that names the path looked for, never a silent skip:
/// the suite is only meaningful with the real files (run Scripts/fetch-models.sh first).
public enum Fixtures {
    /// The repository root (the folder holding Package.swift), found from this source file.
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// `../shared/fixtures` beside the repository, or `TROVE_FIXTURES`.
    public static var fixturesFolder: URL {
        if let path = ProcessInfo.processInfo.environment["TROVE_FIXTURES"] { return URL(fileURLWithPath: path) }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures")
    }

    /// `../shared/datasets` beside the repository, or `TROVE_DATASETS`.
    public static var datasetsFolder: URL {
        if let path = ProcessInfo.processInfo.environment["TROVE_DATASETS"] { return URL(fileURLWithPath: path) }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/datasets")
    }

    /// The model folder: `TROVE_MODELS`, default `~/.cache/trove/models` (as Scripts/fetch-models.sh).
    public static var modelsFolder: URL {
        if let path = ProcessInfo.processInfo.environment["TROVE_MODELS"] { return URL(fileURLWithPath: path) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/trove/models")
    }

    /// all-MiniLM-L6-v2's folder (model.safetensors, vocab.txt, configs).
    public static var encoderFolder: URL { modelsFolder.appendingPathComponent("all-MiniLM-L6-v2") }

    /// SmolLM2-135M-Instruct's GGUF file.
    public static var decoderFile: URL {
        modelsFolder.appendingPathComponent("SmolLM2-135M-Instruct/SmolLM2-135M-Instruct.Q4_1.gguf")
    }

    /// Model files and references made from the fetched models by Scripts/make-kquant-references.sh
    /// (llama.cpp's quantiser and reference runs): `<models>/generated`.
    public static var generatedModelsFolder: URL { modelsFolder.appendingPathComponent("generated") }

    /// llama.cpp's vocabulary-only GGUF files and their `.inp`/`.out` test vectors, fetched by
    /// Scripts/fetch-tokenizer-vectors.sh: `<models>/tokenizer-vectors`.
    public static var tokenizerVectorsFolder: URL { modelsFolder.appendingPathComponent("tokenizer-vectors") }

    /// llama.cpp's chat templates and jinja2's renderings of them (`references.json`), made by
    /// Scripts/fetch-chat-templates.sh: `<models>/chat-templates`.
    public static var chatTemplatesFolder: URL { modelsFolder.appendingPathComponent("chat-templates") }

    /// Reads a fixture file, throwing an error that names the missing path.
    public static func data(_ relativePath: String) throws -> Data {
        let url = fixturesFolder.appendingPathComponent(relativePath)
        return try required(url)
    }

    /// Returns `url` if it exists, else throws ``MissingFile`` naming it.
    @discardableResult
    public static func required(_ url: URL) throws -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else { throw MissingFile(path: url.path) }
        return try Data(contentsOf: url, options: .alwaysMapped)
    }
}

/// A fixture or model file the test needs is not there.
public struct MissingFile: Error, CustomStringConvertible {
    public let path: String
    public var description: String {
        "missing test input \(path) (run Scripts/fetch-models.sh, Scripts/fetch-tokenizer-vectors.sh, Scripts/fetch-chat-templates.sh and Scripts/make-kquant-references.sh; fixtures live in ../shared/fixtures)"
    }
}
