import Foundation
import Trove

extension IngestReport {
    /// The human summary `trove ingest` prints.
    var summary: String {
        var lines = ["added \(added), updated \(updated), unchanged \(unchanged), moved \(moved), removed \(removed), "
            + "skipped \(skipped.count); \(Output.count(chunksWritten, "chunk")) embedded in \(String(format: "%.1f", seconds)) s"]
        for file in skipped { lines.append("  skipped \(file.path): \(file.reason)") }
        return lines.joined(separator: "\n")
    }
}

extension IngestProgress {
    /// Share of files done, for the bar.
    var fraction: Double { filesTotal == 0 ? 1 : Double(filesDone) / Double(filesTotal) }

    /// "12/40 files · 310 chunks · 95 chunks/s · ETA 14 s"
    var summary: String {
        var text = "\(filesDone)/\(Output.count(filesTotal, "file")) · \(Output.count(chunksWritten, "chunk")) · \(Int(chunksPerSecond)) chunks/s"
        if let secondsRemaining { text += " · ETA \(Int(secondsRemaining.rounded())) s" }
        return text
    }
}
