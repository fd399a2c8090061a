import ArgumentParser
import Foundation
import Trove

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check that the set-up is whole, and say what to do when it is not.",
        discussion: """
        Checks: the model files are present with their pinned sha256; the encoder reproduces a known \
        sentence-transformers embedding; the decoder file opens; the index opens and was built by the \
        same encoder. Exits with 1 when a check fails.

        Examples:
          trove doctor
          trove doctor --json | jq '.checks[] | select(.ok == false)'
        """)

    @OptionGroup var indexOptions: IndexOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let trove = TroveIndex(indexFile: indexOptions.indexURL, models: modelOptions.location())
        let report = trove.doctor()
        if output.json {
            try Output.printJSON(report)
        } else {
            for check in report.checks {
                print("\(check.ok ? "ok  " : "FAIL") \(check.name): \(check.detail)")
                if let fix = check.fix, !check.ok { print("     fix: \(fix)") }
            }
        }
        if !report.ok { throw ExitCode(TroveExit.failure.rawValue) }
    }
}
