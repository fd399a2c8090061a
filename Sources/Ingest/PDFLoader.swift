import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `.pdf` files, through poppler's `pdftotext` (Debian/Ubuntu: `apt-get install poppler-utils`).
///
/// Runs `pdftotext -enc UTF-8 /dev/stdin -` on the opened file and reads its standard output. Without `-layout`, on purpose:
/// the default mode outputs text in reading order (a two-column page comes out column after
/// column, so sentences stay whole for the chunker and the encoder), while `-layout` reproduces
/// the page geometry, interleaving the columns line by line and padding with runs of spaces.
///
/// pdftotext ends every page with a form feed; the text is the pages joined by "\u{0C}" (the last
/// one dropped) and ``LoadedDocument/pageStarts`` holds each page's code-point offset.
/// The title is the first non-empty line of the first page.
public enum PDFLoader {
    /// Environment variable naming the pdftotext executable, when it is not on PATH.
    public static let toolVariable = "TROVE_PDFTOTEXT"

    /// Loads a PDF file; `environment` supplies PATH and ``toolVariable`` (tests replace it). The
    /// file is refused above `limits.pdfBytes`, and pdftotext is stopped once its text passes
    /// `limits.textBytes`.
    public static func load(_ file: URL, environment: [String: String] = ProcessInfo.processInfo.environment,
                            limits: FileSizeLimits = .current) throws -> LoadedDocument {
        // pdftotext reads the descriptor checked here (as its standard input, named /dev/stdin: a
        // regular file there is seekable), not the path again, which could have been swapped for
        // a FIFO or a device since.
        let (status, output, errors) = try RegularFile.withOpened(file.path, limit: limits.pdfBytes) { descriptor, _ in
            guard let tool = locateTool(environment) else {
                throw LoaderError.toolMissing(file: file.path, tool: "pdftotext", install: "apt-get install poppler-utils")
            }
            return try run(tool, arguments: ["-enc", "UTF-8", "/dev/stdin", "-"], input: descriptor, file: file.path,
                           outputLimit: limits.textBytes)
        }
        guard status == 0 else {
            throw LoaderError.pdftotextFailed(file: file.path, status: status, stderr: String(decoding: errors, as: UTF8.self))
        }
        return document(pdftotextOutput: output, path: file.path)
    }

    /// The document pdftotext's output describes: its pages (split at form feeds), where each
    /// starts, and the title. Separate from running the tool so that tests and the fuzzer
    /// (Fuzz/README.md) can feed it any bytes.
    package static func document(pdftotextOutput output: Data, path: String) -> LoadedDocument {
        let raw = String(decoding: output, as: UTF8.self)
        var pages = raw.split(separator: "\u{0C}", omittingEmptySubsequences: false).map(String.init)
        if pages.count > 1, pages.last?.allSatisfy(\.isWhitespace) == true { pages.removeLast() }
        var pageStarts: [Int] = []
        var offset = 0
        for page in pages {
            pageStarts.append(offset)
            offset += page.unicodeScalars.count + 1
        }
        let title = pages.first?.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.first(where: { !$0.isEmpty })
        return LoadedDocument(path: path, format: .pdf, title: title,
                              text: pages.joined(separator: "\u{0C}"), pageStarts: pageStarts)
    }

    /// `$TROVE_PDFTOTEXT`, else the first executable `pdftotext` on PATH.
    static func locateTool(_ environment: [String: String]) -> String? {
        if let path = environment[toolVariable], FileManager.default.isExecutableFile(atPath: path) { return path }
        let folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/pdftotext" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Bytes of pdftotext's stderr kept for the error message (the rest is read and dropped).
    static let stderrBytesKept = 16 << 10

    /// Runs `tool` on standard input `input` and returns its exit status, stdout and stderr. Both
    /// pipes are drained at once (stderr on a second thread) so a chatty tool cannot block on a
    /// full pipe; neither is kept beyond its bound: past `outputLimit` bytes of stdout the tool is
    /// stopped and ``LoaderError/extractedTextTooLarge(file:limit:)`` thrown.
    static func run(_ tool: String, arguments: [String], input: Int32, file: String,
                    outputLimit: Int64) throws -> (Int32, Data, Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle(fileDescriptor: input, closeOnDealloc: false)
        do { try process.run() } catch {
            throw LoaderError.toolMissing(file: file, tool: tool, install: "apt-get install poppler-utils (\(error))")
        }
        let errorData = ErrorCollector()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorData.data = drain(errors.fileHandleForReading, keepingAtMost: Int64(stderrBytesKept), truncating: true).kept
            group.leave()
        }
        let (outputData, overflowed) = drain(output.fileHandleForReading, keepingAtMost: outputLimit) { process.terminate() }
        group.wait()
        process.waitUntilExit()
        if overflowed { throw LoaderError.extractedTextTooLarge(file: file, limit: outputLimit) }
        return (process.terminationStatus, outputData, errorData.data)
    }

    /// Reads `handle` to its end, keeping at most `limit` bytes: the first `limit` when
    /// `truncating`, else nothing once more come (then `overflow` is called, once). Reading goes
    /// on to the end either way, so the writer is never stuck on a full pipe.
    static func drain(_ handle: FileHandle, keepingAtMost limit: Int64, truncating: Bool = false,
                      overflow: () -> Void = {}) -> (kept: Data, overflowed: Bool) {
        var kept = Data(), overflowed = false
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return (kept, overflowed) }
            if overflowed { continue }
            if Int64(kept.count + count) > limit {
                kept = truncating ? kept + buffer[0..<Int(limit - Int64(kept.count))] : Data()
                overflowed = true
                overflow()
                continue
            }
            kept.append(contentsOf: buffer[0..<count])
        }
    }

    /// Holds stderr read on another thread (written before `group.leave()`, read after `wait()`).
    private final class ErrorCollector: @unchecked Sendable { var data = Data() }
}
