import Foundation

/// Everything that can go wrong while reading one file into ``LoadedDocument``s.
///
/// Every case names the file and the problem, so the ingest report can print it as is and carry on
/// with the next file: one bad file never stops an ingest.
public enum LoaderError: Error, Equatable, CustomStringConvertible {
    /// The extension is not one Trove reads (see ``DocumentLoader/format(of:)``).
    case unsupportedExtension(file: String, extension: String)
    /// NUL bytes or too many control characters in the first 8 KiB (see ``BinaryDetection``).
    case binary(file: String)
    /// The file (or folder) could not be read; `reason` is the system's text for errno.
    case unreadable(file: String, reason: String)
    /// Line `line` (1-based) of a `.jsonl` corpus is not a `{"_id", "title"?, "text"}` object.
    case malformedJSONLLine(file: String, line: Int, problem: String)
    /// A helper program (pdftotext) is not installed; `install` says how to get it.
    case toolMissing(file: String, tool: String, install: String)
    /// pdftotext ran and failed: its exit status and what it wrote on stderr.
    case pdftotextFailed(file: String, status: Int32, stderr: String)

    /// One line naming the file and the problem, for the ingest report and the CLI.
    public var description: String {
        switch self {
        case let .unsupportedExtension(file, ext):
            return "\(file): unsupported file type '.\(ext)' (Trove reads .txt .md .html .pdf .jsonl and source code)"
        case let .binary(file):
            return "\(file): looks like a binary file (NUL bytes or control characters in the first 8 KiB), not text"
        case let .unreadable(file, reason):
            return "\(file): cannot be read: \(reason)"
        case let .malformedJSONLLine(file, line, problem):
            return "\(file): line \(line): \(problem) (expected a JSON object with \"_id\" and \"text\", optional \"title\")"
        case let .toolMissing(file, tool, install):
            return "\(file): needs the program '\(tool)', which was not found on PATH (install it with: \(install))"
        case let .pdftotextFailed(file, status, stderr):
            let message = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            return "\(file): pdftotext failed with exit status \(status)"
                + (message.isEmpty ? " and no message (corrupt or encrypted PDF?)" : ": \(message)")
        }
    }
}
