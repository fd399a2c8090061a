import ArgumentParser
import Foundation
import Ingest
import Trove

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Add folders and files to the index, or bring them up to date.",
        discussion: """
        Reads text, Markdown, HTML, PDF, Word (.docx), OpenDocument (.odt), PowerPoint (.pptx), EPUB, \
        man pages (ls.1), source code and BEIR-style .jsonl files, and those of them compressed with \
        gzip (ls.1.gz, README.gz); skips hidden files, \
        binary files and whatever a .troveignore excludes (gitignore patterns). Unchanged files are not \
        embedded again, moved files keep their vectors, changed files are replaced, and documents under \
        a re-ingested folder whose files are gone are removed. Each document is written in its own \
        transaction, so an interrupted ingest leaves a consistent index; run it again to finish.

        Only regular files are read: devices, pipes and sockets are skipped, as are files above \
        --max-file-size (default 64M; PDF, DOCX, ODT, PPTX and EPUB 512M). A corrupt or encrypted \
        document, or one whose parts decompress to more than 64M (a zip bomb), is skipped with the \
        reason. A malformed line of a .jsonl file skips that record, reported with its line number.

        Every document read (or found unchanged) goes into a collection: --collection NAME, or by \
        default the name of the folder given (a file given alone: the name of its folder). \
        `search --collection NAME` and `ask --collection NAME` keep to it; `list --collections` lists them.

        Chunks overlap by 32 word pieces (about a sentence) unless --chunk-overlap says otherwise; the \
        setting applies to the files read in this run, and files found unchanged keep their chunks.

        Examples:
          trove ingest ~/notes
          trove ingest --collection work ~/projects/docs ~/papers
          trove ingest --index project.sqlite docs/ README.md
          trove ingest --json ~/Documents | jq .added
          trove ingest --max-file-size 1G big-corpus.jsonl
          trove ingest --index fast.sqlite --encoder-precision int8 ~/papers
        """)

    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var precisionOptions: EncoderPrecisionOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var fileSize: FileSizeOptions

    @Option(help: ArgumentHelp("The collection to put what it reads into (default: the folder's name).", valueName: "name"))
    var collection: String?

    @Option(name: .customLong("chunk-overlap"), help: ArgumentHelp(
        "Word pieces repeated between consecutive chunks of the files read in this run, 0-100 (default: \(Chunker.defaultOverlapTokens)).",
        valueName: "n"))
    var chunkOverlap: Int?

    @Argument(help: ArgumentHelp("Folders or files to ingest.", valueName: "path"))
    var paths: [String]

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one folder or file to ingest") }
        if collection?.isEmpty == true { throw ValidationError("--collection needs a name") }
        if let chunkOverlap, !(0...100).contains(chunkOverlap) { throw ValidationError("--chunk-overlap must be 0-100, got \(chunkOverlap)") }
    }

    func run() throws {
        let trove = TroveIndex(indexFile: indexOptions.indexURL, models: precisionOptions.applied(to: modelOptions.location()))
        let bar = ProgressBar()
        // The facade builds its pipeline with FileSizeLimits.current: bind the limits around it.
        let report = try FileSizeLimits.$current.withValue(fileSize.limits) {
            try trove.ingest(paths.map { URL(fileURLWithPath: Self.exactPath($0)) }, collection: collection, chunkOverlap: chunkOverlap) { progress in
                bar.update(fraction: progress.fraction, text: progress.summary)
            }
        }
        bar.finish()
        if output.json {
            try Output.printJSON(report)
        } else {
            print(report.summary)
        }
        // A path that names nothing is a mistake (a typo, an unmounted disk): said, and exit 1,
        // once the paths that do exist are indexed. (A name that is not UTF-8 is checked by the walk.)
        let missing = paths.filter { !$0.unicodeScalars.contains("\u{FFFD}") && !FileManager.default.fileExists(atPath: $0) }
        for path in missing { Output.error("error: \(path): no such file or folder") }
        if !missing.isEmpty { throw TroveExit.failure }
    }
}

extension IngestCommand {
    /// `argument` as the bytes the shell passed: Swift decodes `argv` with U+FFFD in place of bytes
    /// that are not UTF-8, which names no file; the raw argument, with those bytes escaped as
    /// ``FileName`` does, names it again.
    static func exactPath(_ argument: String) -> String {
        guard argument.unicodeScalars.contains("\u{FFFD}") else { return argument }
        for index in 0 ..< Int(CommandLine.argc) {
            guard let raw = CommandLine.unsafeArgv[index] else { continue }
            let bytes = UnsafeRawBufferPointer(start: raw, count: strlen(raw))
            if String(decoding: bytes, as: UTF8.self) == argument { return FileName.decode(bytes) }
        }
        return argument
    }
}
