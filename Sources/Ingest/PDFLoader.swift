import Foundation

/// `.pdf` files, through poppler's `pdftotext` (Debian/Ubuntu: `apt-get install poppler-utils`).
///
/// Runs `pdftotext -enc UTF-8 FILE -` and reads its standard output. Without `-layout`, on purpose:
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

    /// Loads a PDF file; `environment` supplies PATH and ``toolVariable`` (tests replace it).
    public static func load(_ file: URL, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> LoadedDocument {
        guard FileManager.default.isReadableFile(atPath: file.path) else {
            _ = try DocumentLoader.readBytes(file)  // throws .unreadable with the errno text
            throw LoaderError.unreadable(file: file.path, reason: "not readable")
        }
        guard let tool = locateTool(environment) else {
            throw LoaderError.toolMissing(file: file.path, tool: "pdftotext", install: "apt-get install poppler-utils")
        }
        let (status, output, errors) = try run(tool, arguments: ["-enc", "UTF-8", file.path, "-"], file: file.path)
        let raw = String(decoding: output, as: UTF8.self)
        guard status == 0 else {
            throw LoaderError.pdftotextFailed(file: file.path, status: status, stderr: String(decoding: errors, as: UTF8.self))
        }
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
        return LoadedDocument(path: file.path, format: .pdf, title: title,
                              text: pages.joined(separator: "\u{0C}"), pageStarts: pageStarts)
    }

    /// `$TROVE_PDFTOTEXT`, else the first executable `pdftotext` on PATH.
    static func locateTool(_ environment: [String: String]) -> String? {
        if let path = environment[toolVariable], FileManager.default.isExecutableFile(atPath: path) { return path }
        let folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/pdftotext" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `tool` and returns its exit status, stdout and stderr. Both pipes are drained at once
    /// (stderr on a second thread) so a chatty tool cannot block on a full pipe.
    static func run(_ tool: String, arguments: [String], file: String) throws -> (Int32, Data, Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw LoaderError.toolMissing(file: file, tool: tool, install: "apt-get install poppler-utils (\(error))")
        }
        let errorData = ErrorCollector()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorData.data = errors.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return (process.terminationStatus, outputData, errorData.data)
    }

    /// Holds stderr read on another thread (written before `group.leave()`, read after `wait()`).
    private final class ErrorCollector: @unchecked Sendable { var data = Data() }
}
