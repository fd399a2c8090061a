import Foundation

/// Everything that can go wrong while reading one file into ``LoadedDocument``s.
///
/// Every case names the file and the problem, so the ingest report can print it as is and carry on
/// with the next file: one bad file never stops an ingest.
public enum LoaderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The extension is not one Trove reads (see ``DocumentLoader/format(of:)``).
    case unsupportedExtension(file: String, extension: String)
    /// NUL bytes or too many control characters in the first 8 KiB (see ``BinaryDetection``).
    case binary(file: String)
    /// The file (or folder) could not be read; `reason` is the system's text for errno.
    case unreadable(file: String, reason: String)
    /// A device, FIFO, socket or folder where a file was expected: never opened or read (see
    /// ``RegularFile``). `kind` says which, in words ("a character device").
    case notRegularFile(file: String, kind: String)
    /// The file is larger than the limit for its format (``FileSizeLimits``); it was not read.
    case tooLarge(file: String, size: Int64, limit: Int64)
    /// The file grew past the limit while it was being read; what was read is dropped.
    case grewAboveLimit(file: String, limit: Int64)
    /// pdftotext gave more text than the limit for text files; it was stopped.
    case extractedTextTooLarge(file: String, limit: Int64)
    /// Line `line` (1-based) of a `.jsonl` corpus is not a `{"_id", "title"?, "text"}` object.
    case malformedJSONLLine(file: String, line: Int, problem: String)
    /// A helper program (pdftotext) is not installed; `install` says how to get it.
    case toolMissing(file: String, tool: String, install: String)
    /// pdftotext ran and failed: its exit status and what it wrote on stderr.
    case pdftotextFailed(file: String, status: Int32, stderr: String)
    /// A DOCX, ODT, PPTX or EPUB file that is not a readable zip archive (truncated, damaged, or
    /// not a zip at all); `problem` says what was wrong.
    case corruptArchive(file: String, problem: String)
    /// A `.gz` file that is not gzip data, or whose data is damaged or truncated (``GzipFile``).
    case corruptGzip(file: String, problem: String)
    /// A zip-based document whose content is encrypted (a zip password, an encrypted Office or
    /// OpenDocument file, an EPUB under DRM); `detail` says which protection was found.
    case encrypted(file: String, detail: String)
    /// The parts of a zip-based document decompress to more than `limit` bytes (the limit for
    /// text): reading stopped at `part`, so a zip bomb costs at most `limit` bytes of memory.
    case decompressedTooLarge(file: String, part: String, limit: Int64)
    /// A part of a zip-based document is missing or is not what its format says
    /// (`word/document.xml` is not well-formed XML, an EPUB has no `META-INF/container.xml`, …).
    case malformedDocument(file: String, part: String, problem: String)

    /// One line naming the file and the problem, for the ingest report and the CLI.
    public var description: String { "\(file): \(problem)" }

    /// The file at fault.
    public var file: String {
        switch self {
        case let .unsupportedExtension(file, _), let .binary(file), let .unreadable(file, _),
             let .notRegularFile(file, _), let .tooLarge(file, _, _), let .grewAboveLimit(file, _),
             let .extractedTextTooLarge(file, _), let .malformedJSONLLine(file, _, _),
             let .toolMissing(file, _, _), let .pdftotextFailed(file, _, _), let .corruptArchive(file, _), let .corruptGzip(file, _),
             let .encrypted(file, _), let .decompressedTooLarge(file, _, _), let .malformedDocument(file, _, _):
            return file
        }
    }

    /// The problem without the file's name (the ingest report lists it beside the path).
    public var problem: String {
        switch self {
        case let .unsupportedExtension(_, ext):
            return "unsupported file type '.\(ext)' (Trove reads .txt .md .html .pdf .docx .odt .pptx .epub .jsonl, man pages, source code, and .gz of the text-like ones)"
        case .binary:
            return "looks like a binary file (NUL bytes or control characters in the first 8 KiB), not text"
        case let .unreadable(_, reason):
            return "cannot be read: \(reason)"
        case let .notRegularFile(_, kind):
            return "is \(kind), not a regular file (only regular files are ingested)"
        case let .tooLarge(_, size, limit):
            return "is \(FileSizeLimits.describe(size)), above the \(FileSizeLimits.describe(limit)) limit; see --max-file-size"
        case let .grewAboveLimit(_, limit):
            return "grew above the \(FileSizeLimits.describe(limit)) limit while being read; see --max-file-size"
        case let .extractedTextTooLarge(_, limit):
            return "pdftotext extracted more than \(FileSizeLimits.describe(limit)) of text, the limit for text; see --max-file-size"
        case let .malformedJSONLLine(_, line, problem):
            return "line \(line): \(problem) (expected a JSON object with \"_id\" and \"text\", optional \"title\")"
        case let .toolMissing(_, tool, install):
            return "needs the program '\(tool)', which was not found on PATH (install it with: \(install))"
        case let .pdftotextFailed(_, status, stderr):
            let message = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            return "pdftotext failed with exit status \(status)"
                + (message.isEmpty ? " and no message (corrupt or encrypted PDF?)" : ": \(message)")
        case let .corruptArchive(_, problem):
            return "is not a readable zip archive, as DOCX, ODT, PPTX and EPUB files are (\(problem))"
        case let .corruptGzip(_, problem):
            return "is not readable gzip data (\(problem))"
        case let .encrypted(_, detail):
            return "is encrypted (\(detail)); Trove cannot read it"
        case let .decompressedTooLarge(_, part, limit):
            return "decompresses to more than \(FileSizeLimits.describe(limit)) (the limit for text) by its part '\(part)'; "
                + "refused as a possible zip bomb; see --max-file-size"
        case let .malformedDocument(_, part, problem):
            return "part '\(part)' \(problem)"
        }
    }
}
