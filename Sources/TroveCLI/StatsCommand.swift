import ArgumentParser
import Foundation
import Trove

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show what the index holds.",
        discussion: """
        JSON (--json): {"index", "documents", "chunks", "vectors", "encoder", "dimension", "encoder_precision", "file_bytes", "formats"}.

        Examples:
          trove stats
          trove stats --json | jq .chunks
        """)

    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let trove = TroveIndex(indexFile: indexOptions.indexURL, models: .resolve())  // reads the index only: no model is loaded
        let stats = try trove.stats()
        if output.json {
            try Output.printJSON(stats)
        } else {
            print("index      \(stats.index)")
            print("documents  \(stats.documents)")
            print("chunks     \(stats.chunks)")
            print("vectors    \(stats.vectors)")
            print("encoder    \(stats.encoder ?? "none yet") (dimension \(stats.dimension.map(String.init) ?? "–")\(stats.encoderPrecision.map { ", \($0)" } ?? ""))")
            print("size       \(ByteCountFormatter.string(fromByteCount: stats.fileBytes, countStyle: .file))")
            for (format, count) in stats.formats.sorted(by: { $0.key < $1.key }) {
                print("  \(format.padding(toLength: 9, withPad: " ", startingAt: 0)) \(count)")
            }
        }
    }
}
