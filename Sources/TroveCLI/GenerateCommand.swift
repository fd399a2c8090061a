import ArgumentParser
import Foundation
import Trove

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate text with the decoder, streamed as it comes.",
        discussion: """
        The prompt goes through the model's chat template (ChatML for SmolLM2) as a user message, \
        unless --raw gives it to the model as is. By default it samples as llama.cpp does \
        (temperature 0.8, top-k 40, top-p 0.95, min-p 0.05, repetition penalty 1.1 over the last 64 \
        tokens), reproducibly: the same --seed (default 0) gives the same text. For plain greedy \
        decoding: --temperature 0 --repetition-penalty 1.

        JSON (--json): {"prompt_ids", "generated_ids", "text", "stop_reason" (eos, stop_string, \
        max_tokens, context_full), "timings": {"prompt_tokens", "generated_tokens", \
        "prompt_tokens_per_second", "generated_tokens_per_second", "time_to_first_token", "load_seconds"}}.

        Examples:
          trove generate "Write a haiku about fog."
          trove generate --raw --max-tokens 20 "The lighthouse keeper"
          trove generate --json --seed 42 "Name three sea birds." | jq .text
          trove generate --temperature 0 --repetition-penalty 1 "Spell 'lighthouse' backwards."
        """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var kvCacheOptions: KVCacheOptions
    @OptionGroup var sampling: SamplingOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "Give the prompt to the model as is, without the chat template.")
    var raw = false

    @Option(name: .long, help: "A system message (chat mode).")
    var system: String?

    @Option(name: .long, help: ArgumentHelp("Stop before this text (repeatable).", valueName: "text"))
    var stop: [String] = []

    @Argument(help: "The prompt.")
    var prompt: String

    func validate() throws {
        if raw && system != nil { throw ValidationError("--system goes with the chat template, not with --raw") }
    }

    func run() throws {
        let trove = TroveIndex(indexFile: nil, models: kvCacheOptions.applied(to: modelOptions.location()))
        var options = GenerationOptions()
        options.raw = raw
        options.system = system
        options.stopStrings = stop
        options = sampling.apply(to: options)
        let result = try trove.generate(prompt, options: options) { piece in
            if !output.json { Output.stream(piece) }
        }
        if output.json {
            try Output.printJSON(result)
        } else {
            print()
        }
    }
}
