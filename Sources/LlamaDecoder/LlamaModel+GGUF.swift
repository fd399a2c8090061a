import Foundation
import ModelFiles

extension LlamaModel {
    /// Loads a decoder from an opened GGUF file: reads ``LlamaConfig`` from its metadata (the
    /// architecture's keys), checks every tensor's name, shape and type (``LlamaWeights``), and
    /// refuses a file holding a tensor that its architecture's graph does not use, as llama.cpp does.
    /// The weights stay in the file's memory map; the model keeps the file alive.
    ///
    /// ```swift
    /// let model = try LlamaModel(file: GGUFFile(url: modelURL))
    /// ```
    public convenience init(file: GGUFFile) throws {
        let config = try LlamaConfig(metadata: file.metadata, file: file.path)
        let weights = try LlamaWeights(config: config, file: file.path) { name in
            guard file.hasTensor(name) else { return nil }
            let info = try file.tensorInfo(name)
            return RawTensor(dimensions: info.dimensions, ggmlType: info.type.id, typeName: info.type.name,
                             bytes: try file.tensorData(name))
        }
        if let unused = file.tensorInfos.first(where: { !weights.consultedNames.contains($0.name) }) {
            throw LlamaDecoderError.unusedTensor(file: file.path, tensor: unused.name, architecture: config.architecture.rawValue)
        }
        self.init(config: config, weights: weights, storage: file)
    }

    /// Opens the GGUF file at `url` and loads it (``init(file:)``); errors name the file.
    public convenience init(contentsOf url: URL) throws {
        try self.init(file: GGUFFile(url: url))
    }
}
