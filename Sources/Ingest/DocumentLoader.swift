import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a file into ``LoadedDocument``s, choosing the loader by the file's extension.
///
/// One file gives one document, except a `.jsonl` corpus, which gives one per record.
/// ```swift
/// let documents = try DocumentLoader.load(URL(fileURLWithPath: "notes/lenses.md"))
/// print(documents[0].title ?? "untitled", documents[0].headings.count)
/// ```
public enum DocumentLoader {
    /// The version of text extraction, stored with each document: bump it when a loader's output
    /// changes, and the next ingest re-extracts documents written by an older one (users keep
    /// their index). 2: HTML main content only, headings and anchors; line numbers for citations.
    public static let extractionVersion = 2

    /// Extensions read as source code: the text as is, title = file name.
    public static let codeExtensions: Set<String> = [
        "swift", "py", "js", "mjs", "ts", "tsx", "jsx", "c", "h", "cc", "cpp", "hpp", "m", "rs", "go",
        "java", "kt", "scala", "rb", "php", "pl", "lua", "r", "sh", "bash", "zsh", "fish", "sql",
        "json", "yaml", "yml", "toml", "ini", "cfg", "xml", "css", "scss", "cs", "fs", "hs", "ml",
        "ex", "exs", "erl", "clj", "dart", "zig", "nim", "mk", "cmake", "gradle", "proto", "tex",
    ]
    /// Extensions read as plain text (an extension-less file is plain text too, if it is text).
    public static let textExtensions: Set<String> = ["txt", "text", "rst", "log", "csv", "tsv", "org", "adoc"]

    /// The format a file would be read as, or nil if Trove does not read this extension.
    public static func format(of file: URL) -> DocumentFormat? {
        let ext = file.pathExtension.lowercased()
        switch ext {
        case "": return .text
        case "md", "markdown", "mdown", "mkd": return .markdown
        case "html", "htm", "xhtml": return .html
        case "pdf": return .pdf
        case "jsonl", "ndjson": return .jsonl
        default:
            if textExtensions.contains(ext) { return .text }
            if codeExtensions.contains(ext) { return .code }
            return nil
        }
    }

    /// Loads `file`. Throws ``LoaderError`` naming the file: unsupported extension, binary content,
    /// unreadable file, malformed JSONL line, missing or failing pdftotext.
    public static func load(_ file: URL) throws -> [LoadedDocument] {
        guard let format = format(of: file) else {
            throw LoaderError.unsupportedExtension(file: file.path, extension: file.pathExtension)
        }
        switch format {
        case .text: return [try PlainTextLoader.load(file)]
        case .markdown: return [try MarkdownLoader.load(file)]
        case .html: return [try HTMLLoader.load(file)]
        case .pdf: return [try PDFLoader.load(file)]
        case .code: return [try CodeLoader.load(file)]
        case .jsonl: return try JSONLLoader.load(file)
        }
    }

    /// The file's bytes, or ``LoaderError/unreadable(file:reason:)`` with the system's errno text
    /// ("Permission denied", "Is a directory", …).
    static func readBytes(_ file: URL) throws -> Data {
        let descriptor = open(file.path, O_RDONLY)
        guard descriptor >= 0 else { throw LoaderError.unreadable(file: file.path, reason: errnoText()) }
        defer { close(descriptor) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw LoaderError.unreadable(file: file.path, reason: errnoText())
            }
            if count == 0 { return data }
            data.append(contentsOf: buffer[0..<count])
        }
    }

    /// The file's text, decoded as ``TextDecoding`` says (binary files rejected).
    static func readText(_ file: URL) throws -> String {
        try TextDecoding.decode(try readBytes(file), file: file.path)
    }

    /// `strerror(errno)`, e.g. "No such file or directory".
    static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// `.txt`, `.text`, `.rst`, `.log` and extension-less text files: the decoded text as is.
public enum PlainTextLoader {
    /// Loads a plain text file; there is no title (callers fall back to the file name).
    public static func load(_ file: URL) throws -> LoadedDocument {
        LoadedDocument(path: file.path, format: .text, text: try DocumentLoader.readText(file))
    }
}

/// Source code and configuration files: the decoded text as is, titled by the file name, since a
/// question about code usually names the file.
public enum CodeLoader {
    /// Loads a source file.
    public static func load(_ file: URL) throws -> LoadedDocument {
        LoadedDocument(path: file.path, format: .code, title: file.lastPathComponent,
                       text: try DocumentLoader.readText(file))
    }
}
