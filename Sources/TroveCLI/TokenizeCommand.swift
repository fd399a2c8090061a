import ArgumentParser
import Foundation
import Trove

struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the decoder's token ids for a text.",
        discussion: """
        Special tokens such as <|im_start|> are parsed as single tokens unless --no-parse-special is given \
        (then they are plain text, as retrieved passages are). No BOS is added. Only the vocabulary \
        is read, so --model may name a vocabulary-only GGUF file (llama.cpp's ggml-vocab-*.gguf). \
        Byte-level BPE (tokenizer.ggml.model gpt2) and SentencePiece (llama, gemma4) vocabularies are read.

        JSON (--json): {"text", "ids", "pieces"}.

        Examples:
          trove tokenize "Hello world"
          trove tokenize --json --no-parse-special "<|im_start|>user" | jq .ids
          trove tokenize --json --no-parse-special --model ggml-vocab-llama-spm.gguf "Hello world"
        """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "Treat special-token text as plain text.")
    var noParseSpecial = false

    @Argument(help: "The text.")
    var text: String

    func run() throws {
        let trove = TroveIndex(indexFile: nil, models: modelOptions.location())
        let (ids, pieces) = try trove.tokenizeForDecoder(text, parseSpecial: !noParseSpecial)
        if output.json {
            try Output.printJSON(TokenizeOutput(text: text, ids: ids, pieces: pieces))
        } else {
            for (id, piece) in zip(ids, pieces) { print("\(id)\t\(piece.debugDescription)") }
        }
    }
}

struct TokenizeOutput: Codable {
    let text: String
    let ids: [Int32]
    let pieces: [String]
}
