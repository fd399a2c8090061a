import Foundation

/// A one-line progress display on standard error, redrawn in place; silent when stderr is not a
/// terminal (scripts and CI see nothing).
final class ProgressBar {
    private let enabled = Output.stderrIsTerminal
    private var lastDraw = Date.distantPast
    private var drewSomething = false

    /// Redraws at most ten times a second. `fraction` in 0...1.
    func update(fraction: Double, text: String) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 || fraction >= 1 else { return }
        lastDraw = now
        let width = 24
        let filled = Int((max(0, min(1, fraction)) * Double(width)).rounded())
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(bar) \(text)".utf8))
        drewSomething = true
    }

    /// Clears the line.
    func finish() {
        guard enabled, drewSomething else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
