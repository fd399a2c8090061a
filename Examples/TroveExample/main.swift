// A small program using Trove as a library: index a folder, search it, ask a question.
//
//     swift run -c release trove-example Corpora "When was Gannet Head lighthouse first lit?"
import Foundation
import Trove

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count == 2, let folder = arguments.first, let question = arguments.last else {
    print("usage: trove-example FOLDER QUESTION")
    exit(2)
}

let index = FileManager.default.temporaryDirectory.appendingPathComponent("trove-example.sqlite")
let trove = TroveIndex(indexFile: index, models: .resolve())
do {
    let report = try trove.ingest([URL(fileURLWithPath: folder)])
    print("indexed: \(report.added) added, \(report.unchanged) unchanged, \(report.skipped.count) skipped")

    for result in try trove.search(question, k: 3) {
        print("[\(result.rank)] \(result.path) score \(String(format: "%.3f", result.score))")
    }

    let answer = try trove.ask(question) { print($0, terminator: "") }
    if let short = answer.answer { print("\nshort answer: \(short)") }
    for citation in answer.citations {
        print("  [\(citation.n)] \(citation.location) \(citation.section.map { "§ \($0)" } ?? "")")
    }
} catch {
    print("error: \(error)")
    exit(1)
}
