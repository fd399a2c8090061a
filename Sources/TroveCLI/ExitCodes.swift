import ArgumentParser

/// The exit codes scripts can rely on (documented in the README).
enum TroveExit {
    /// Success (skipped files are reported, not fatal).
    static let success = ExitCode(0)
    /// The command failed: a missing model, an unreadable index, a refused file…
    static let failure = ExitCode(1)
    /// Bad usage: an unknown option, a missing argument, a value out of range.
    static let usage = ExitCode(2)
    /// `trove ask` found no supported answer: no passage close enough, or an answer not grounded
    /// in the passages it cites. Not an error, but not an answer either.
    static let noSupportedAnswer = ExitCode(3)
}
