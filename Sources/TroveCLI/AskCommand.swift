import ArgumentParser
import Foundation
import Trove

struct AskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Answer a question from the index, with citations.",
        discussion: """
        Retrieves the k best passages, numbers them [1]…[k] in a prompt that fits the model's context, \
        and streams the decoder's answer; then lists the passages the answer cites, with path, \
        code-point span and page. Citations are checked, not trusted: a marker naming no passage is \
        removed, and each cited sentence is scored for support (word overlap with its passage).

        Exit codes: 0 a supported answer; 3 no supported answer (no passage close enough, the model \
        said the documents do not cover it, or the answer is not grounded in the passages it cites); \
        1 an error; 2 bad usage.

        JSON (--json): {"question", "answer", "raw_answer", "grounded", "not_covered", \
        "citations": [{"n", "path", "start", "end", "page", "text", "sentence", "support", "inferred"}], \
        "passages": [{"n", "chunk_id", "path", "title", "text", "start", "end", "page", "cosine", "trimmed"}], \
        "dropped_citations", "timings"}.

        Examples:
          trove ask "When was Gannet Head lighthouse first lit?"
          trove ask -k 3 --json "Who invented the sun valve?" | jq -r .answer
          trove ask "what is the wifi password" || echo "exit $? (3: not covered)"
        """)

    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var sampling: SamplingOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .short, help: "Passages to retrieve (1–20).")
    var k = 5

    @Option(name: .long, help: "Retriever: dense, keyword or hybrid (the default).")
    var mode: SearchMode = .default

    @Argument(help: "The question.")
    var question: String

    func validate() throws {
        if !(1...20).contains(k) { throw ValidationError("-k must be between 1 and 20, got \(k)") }
        if question.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("the question is empty") }
    }

    func run() throws {
        let trove = TroveIndex(indexFile: indexOptions.indexURL, models: modelOptions.location())
        var options = AskOptions()
        options.k = k
        options.mode = mode
        options.generation = sampling.apply(to: options.generation)
        let answer = try trove.ask(question, options: options) { piece in
            if !output.json { Output.stream(piece) }
        }
        if output.json {
            try Output.printJSON(answer)
        } else {
            printSources(answer)
        }
        if !answer.isSupported { throw ExitCode(TroveExit.noSupportedAnswer.rawValue) }
    }

    private func printSources(_ answer: Answer) {
        print()
        if answer.answer != answer.rawAnswer.trimmingCharacters(in: .whitespacesAndNewlines), !answer.rawAnswer.isEmpty {
            print("short answer: \(answer.answer)")
        }
        if !answer.droppedCitations.isEmpty {
            print("(removed citations of passages that were not given: \(answer.droppedCitations.map { "[\($0)]" }.joined(separator: " ")))")
        }
        if answer.notCovered {
            Output.error("no supported answer: the documents do not cover this question")
            return
        }
        if !answer.citations.isEmpty { print("\nSources:") }
        var shown = Set<Int>()
        for citation in answer.citations where shown.insert(citation.n).inserted {
            var location = "\(citation.path), chars \(citation.start)–\(citation.end)"
            if let page = citation.page { location += ", page \(page)" }
            let inferred = citation.inferred ? ", not marked by the model" : ""
            print("[\(citation.n)] \(location) (support \(String(format: "%.2f", citation.support))\(inferred))")
        }
        if !answer.grounded {
            Output.error("no supported answer: the answer is not grounded in the passages it cites")
        }
    }
}
