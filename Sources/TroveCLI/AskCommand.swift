import ArgumentParser
import Foundation
import Trove

struct AskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Answer a question from the index, quoting the passage that answers it.",
        discussion: """
        Retrieves the k best passages, scores their sentences against the question with the \
        encoder, and gives the decoder the two passages that hold the best ones. The decoder may \
        only copy words from those passages (or say that they do not cover the question), so the \
        answer is never invented: Trove shows the sentence that holds the copied words, with its \
        source, and the copied words as the short answer when they are one (a name, number, \
        function, command or short phrase).

        Output: the quoted sentence with [n]; "short answer:" when there is one; then the source \
        as a path you can open (file:lines for text, Markdown and code; page.html#anchor for HTML; \
        page for PDF, slide for PPTX, book.epub#chapter-file#id for EPUB) and its section.

        Exit codes: 0 an answer; 3 no supported answer (no passage close enough, or the model said \
        the documents do not cover it; nothing the model wrote is shown); 1 an error; 2 bad usage. \
        A question that names something no passage mentions ("Which pandas function…" over \
        Python's documentation) needs a passage at cosine 0.55 rather than 0.3, and the error \
        line names it.

        JSON (--json): {"question", "answer" (short answer or null), "cited_answer" (quoted \
        sentence with [n], or null), "raw_answer" (the model's words, for debugging), "grounded", \
        "not_covered", "unmentioned" (the question's names that no passage holds), "citations": [{"n", "path", "location", "section", "anchor", "page", \
        "line_start", "line_end", "start", "end", "quote", "text"}], "passages": [{"n", "chunk_id", \
        "path", "title", "section", "text", "start", "end", "page", "line_start", "line_end", \
        "anchor", "cosine", "trimmed"}], "timings": {"load_seconds", "retrieval_seconds", \
        "evidence_seconds", "prompt_tokens", "prefill_seconds", "generated_tokens", \
        "decode_seconds", "total_seconds"}}. start/end are code points in the extracted text.

        Examples:
          trove ask "When was Gannet Head lighthouse first lit?"
          trove ask -k 3 --json "Who invented the sun valve?" | jq -r .answer
          trove ask "what is the wifi password" || echo "exit $? (3: not covered)"
        """)

    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var kvCacheOptions: KVCacheOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var filters: FilterOptions

    @Option(name: .short, help: "Passages to retrieve (1–20); the evidence is chosen among them.")
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
        let trove = TroveIndex(indexFile: indexOptions.indexURL, models: kvCacheOptions.applied(to: modelOptions.location()))
        var options = AskOptions()
        options.k = k
        options.mode = mode
        options.filter = filters.filter
        // The shown answer streams as soon as it is known: exactly `cited_answer`.
        let answer = try trove.ask(question, options: options) { shown in
            if !output.json { Output.stream(shown) }
        }
        if output.json {
            try Output.printJSON(answer)
        } else if answer.isSupported {
            printShortAnswerAndSources(answer)
        } else {
            print(Answer.notCoveredText)
        }
        if !answer.isSupported {
            if !output.json {
                let names = answer.unmentioned.map { "“\($0)”" }.joined(separator: ", ")
                Output.error("no supported answer: the documents do not cover this question"
                             + (names.isEmpty ? "" : " (they never mention \(names))"))
            }
            throw ExitCode(TroveExit.noSupportedAnswer.rawValue)
        }
    }

    private func printShortAnswerAndSources(_ answer: Answer) {
        print()
        if let short = answer.answer { print("short answer: \(short)") }
        print("\nSources:")
        for citation in answer.citations {
            var line = "[\(citation.n)] \(citation.location)"
            if let section = citation.section, !section.isEmpty { line += " § \(section)" }
            print(line)
        }
    }
}
