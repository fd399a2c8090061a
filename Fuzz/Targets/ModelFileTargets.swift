import Foundation
import LlamaDecoder
import ModelFiles
import Tokenizers

/// The model file readers: everything a GGUF or safetensors file says is read and checked
/// before use, so a corrupt file is an error naming it, never a crash or a wrong read.
enum ModelFileTargets {
    /// A GGUF file: header, metadata, tensor table and layout, each tensor's bytes, then what the
    /// decoder reads from the metadata (its configuration and its tokenizer, which encodes and
    /// decodes a short text).
    static let gguf = FuzzTarget("gguf", "GGUF file → GGUFFile, LlamaConfig, loadDecoderTokenizer") { input in
        try ScratchFile.with(input, as: "model.gguf") { url in
            let file: GGUFFile
            do { file = try GGUFFile(url: url) } catch { _ = "\(error)"; return }
            readEverything(file)
        }
    }

    /// Every metadata value, every tensor's bytes, the decoder's configuration and tokenizer.
    static func readEverything(_ file: GGUFFile) {
        for key in file.metadataKeys { _ = file.metadata[key].map { "\($0)" } }
        for info in file.tensorInfos {
            do {
                let bytes = try file.tensorData(info.name)
                FuzzTarget.require(bytes.count == info.byteCount, "tensor '\(info.name)' gave \(bytes.count) bytes, its info says \(info.byteCount)")
            } catch { _ = "\(error)" }
        }
        do { _ = try LlamaConfig(metadata: file.metadata, file: file.path) } catch { _ = "\(error)" }
        do {
            let tokenizer = try loadDecoderTokenizer(file)
            let ids = tokenizer.encode("Hello, world! <|im_start|> 12345 héllo 🦙", parseSpecial: true)
            _ = tokenizer.decode(ids)
        } catch { _ = "\(error)" }
    }

    /// A safetensors file: the header length, the JSON header, each tensor's dtype, shape and
    /// offsets (inside the data section, no overlaps), then each tensor's bytes.
    static let safetensors = FuzzTarget("safetensors", "safetensors file → SafetensorsFile, every tensor's bytes") { input in
        try ScratchFile.with(input, as: "model.safetensors") { url in
            let file: SafetensorsFile
            do { file = try SafetensorsFile(url: url) } catch { _ = "\(error)"; return }
            for (name, tensor) in file.tensors {
                do { _ = try file.bytes(of: tensor) } catch { _ = "\(error)" }
                do { _ = try file.floats(name, shape: tensor.shape) } catch { _ = "\(error)" }
            }
        }
    }
}
