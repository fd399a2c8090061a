import Foundation
import LlamaDecoder
import ModelFiles
import Tokenizers

/// The decoder's parts, loaded together from one GGUF file: the model, its tokenizer, and its
/// chat template (nil when the file's template is not one Trove knows; `--raw` works then).
final class LoadedDecoder: @unchecked Sendable {
    let file: GGUFFile
    let model: LlamaModel
    let tokenizer: any DecoderTokenizer
    let template: ChatTemplate?
    /// Why the template could not be used, for the error `generate` gives without `--raw`.
    let templateProblem: Error?
    /// Seconds to map the file and check every tensor.
    let loadSeconds: Double

    /// `tokenizer`: the file's vocabulary if it was already read (by `tokenize`), else read here.
    init(url: URL, tokenizer: (any DecoderTokenizer)? = nil, cache: KVCachePrecision = .f32) throws {
        let start = Date()
        file = try GGUFFile(url: url)
        model = try LlamaModel(file: file)
        model.cachePrecision = cache
        self.tokenizer = try tokenizer ?? loadDecoderTokenizer(file)
        do {
            template = try ChatTemplate(gguf: file)
            templateProblem = nil
        } catch {
            template = nil
            templateProblem = error
        }
        loadSeconds = Date().timeIntervalSince(start)
    }

    /// The template, or an error that says how to do without it.
    func requireTemplate() throws -> ChatTemplate {
        if let template { return template }
        throw TroveError("rendering the chat template",
                         message: "\(templateProblem.map { "\($0)" } ?? "no chat template") (use --raw to give the prompt as is)")
    }

    /// Every token that ends generation: the vocabulary's end-of-generation ids.
    var endOfGeneration: Set<Int32> { tokenizer.endOfGenerationIDs }
}
