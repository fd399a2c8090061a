import ArgumentParser
import Foundation
import Trove

struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Print the encoder's embedding of each text.",
        discussion: """
        Texts come from the arguments, or from standard input with `-`: one text per line, or with \
        --json-input one JSON string per line (so a text may hold newlines). Standard input is \
        embedded in batches.

        JSON (--json): one object per line per text: {"text", "input_ids" (with [CLS]/[SEP]), \
        "tokens", "embedding" (L2-normalised, 384 floats)}.

        Examples:
          trove embed "a lighthouse keeper's log"
          printf 'first text\\nsecond text\\n' | trove embed --json - | jq '.embedding | length'
        """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var precisionOptions: EncoderPrecisionOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "With `-`: each input line is a JSON string.")
    var jsonInput = false

    @Argument(help: ArgumentHelp("Texts to embed, or `-` for standard input.", valueName: "text"))
    var texts: [String] = []

    func validate() throws {
        if texts.isEmpty { throw ValidationError("give texts to embed, or `-` to read them from standard input") }
        if jsonInput && texts != ["-"] { throw ValidationError("--json-input goes with `-` (texts on standard input)") }
    }

    func run() throws {
        let trove = TroveIndex(indexFile: nil, models: precisionOptions.applied(to: modelOptions.location()))
        if texts == ["-"] {
            var batch: [String] = []
            var lineNumber = 0
            while let line = readLine(strippingNewline: true) {
                lineNumber += 1
                batch.append(try jsonInput ? decodeJSONString(line, lineNumber: lineNumber) : line)
                if batch.count == 64 { try emit(trove.embed(batch)); batch.removeAll() }
            }
            if !batch.isEmpty { try emit(trove.embed(batch)) }
        } else {
            try emit(trove.embed(texts))
        }
    }

    private func emit(_ embeddings: [Embedding]) throws {
        for embedding in embeddings {
            if output.json {
                try Output.printJSON(embedding)
            } else {
                let values = embedding.embedding.map { String(format: "%.6f", $0) }.joined(separator: " ")
                print(values)
            }
        }
    }

    private func decodeJSONString(_ line: String, lineNumber: Int) throws -> String {
        do {
            return try JSONDecoder().decode(String.self, from: Data(line.utf8))
        } catch {
            throw ValidationError("standard input line \(lineNumber) is not a JSON string: \(excerpt(line, limit: 60))")
        }
    }
}
