import ArgumentParser
import Dispatch
import Foundation
import Ingest
import Trove

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Keep the index in step with folders as their files change.",
        discussion: """
        First ingests the folders (what changed while nothing watched), then follows them through \
        inotify: a file written, saved by an editor (in place, or written aside and renamed), \
        created, moved or deleted is indexed, re-indexed or removed within about a second; new \
        folders are followed too. Each change is written as `trove ingest` writes it, one \
        transaction per document. Where the system's inotify watch limit is reached, the folders \
        are scanned every 30 s instead (and a message says how to raise the limit). Ctrl-C stops.

        Examples:
          trove watch ~/notes
          trove watch --index ~/work.sqlite ~/projects/docs ~/papers
        """)

    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var precisionOptions: EncoderPrecisionOptions
    @OptionGroup var fileSize: FileSizeOptions

    @Option(help: ArgumentHelp("The collection to put what it reads into (default: each folder's name).", valueName: "name"))
    var collection: String?

    @Argument(help: ArgumentHelp("Folders to watch.", valueName: "folder"))
    var folders: [String]

    func validate() throws {
        if folders.isEmpty { throw ValidationError("give at least one folder to watch") }
        if collection?.isEmpty == true { throw ValidationError("--collection needs a name") }
        for folder in folders where !Self.isFolder(folder) {
            throw ValidationError("\(folder) is not a folder (trove watch follows folders; trove ingest reads single files)")
        }
    }

    /// True when `path` names a folder (following links); `watch` and `serve --watch` take only folders.
    static func isFolder(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
    }

    func run() throws {
        let trove = TroveIndex(indexFile: indexOptions.indexURL, models: precisionOptions.applied(to: modelOptions.location()))
        let stop = CancellationFlag()
        let signals = StopSignals { stop.cancel() }
        defer { withExtendedLifetime(signals) {} }
        let limits = fileSize.limits
        Output.error("trove watch: following \(folders.joined(separator: ", ")) (index \(indexOptions.indexURL.path)); Ctrl-C stops")
        try FileSizeLimits.$current.withValue(limits) {
            try trove.watch(folders.map { URL(fileURLWithPath: $0) }, collection: collection, stop: stop,
                            notice: { Output.error("trove watch: \($0)") },
                            onRound: { round in Output.stream(Self.describe(round) + "\n") })   // unbuffered: a pipe reads each round as it happens
        }
        Output.error("trove watch: stopped")
    }

    static func describe(_ round: WatchRound) -> String {
        let report = round.report
        var line = String(format: "%@ added %d, updated %d, moved %d, removed %d",
                          ISO8601DateFormatter().string(from: Date()), report.added, report.updated, report.moved,
                          report.removed + round.removed.count)
        if round.secondsSinceFirstChange > 0 { line += String(format: " (%.2f s after the change)", round.secondsSinceFirstChange) }
        for file in report.skipped { line += "\n  skipped \(file.path): \(file.reason)" }
        for path in round.removed { line += "\n  removed \(path)" }
        return line
    }
}

/// Runs `stop` on SIGINT or SIGTERM instead of dying, so a command can finish the document it is
/// writing and leave cleanly (a kill -9 is safe too: every document is one transaction).
final class StopSignals {
    private let sources: [DispatchSourceSignal]

    init(_ stop: @escaping @Sendable () -> Void) {
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: stop)
            source.resume()
            return source
        }
    }
}
