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
    /// 3: each chunk embedded with its title and heading path before it (``ChunkContext``).
    /// 4: an HTML table row is one line, its cells separated by " | ".
    public static let extractionVersion = 4

    /// Extensions read as source code: the text as is, title = file name.
    public static let codeExtensions: Set<String> = [
        "swift", "py", "js", "mjs", "ts", "tsx", "jsx", "c", "h", "cc", "cpp", "hpp", "m", "rs", "go",
        "java", "kt", "scala", "rb", "php", "pl", "lua", "r", "sh", "bash", "zsh", "fish", "sql",
        "json", "yaml", "yml", "toml", "ini", "cfg", "xml", "css", "scss", "cs", "fs", "hs", "ml",
        "ex", "exs", "erl", "clj", "dart", "zig", "nim", "mk", "cmake", "gradle", "proto", "tex",
    ]
    /// The names of a project's documentation files, in upper case: `README.Debian` is text.
    static let documentationNames: Set<String> = [
        "README", "NEWS", "CHANGES", "CHANGELOG", "INSTALL", "COPYING", "AUTHORS", "TODO", "HACKING", "THANKS",
        "COPYRIGHT", "CONTRIBUTING", "FAQ", "BUGS", "LICENSE", "LICENCE", "NOTICE", "HISTORY", "RELEASE-NOTES",
    ]

    /// Formats read from a `.gz` file: those whose loaders take the file's bytes whole.
    static let gzipFormats: Set<DocumentFormat> = [.text, .markdown, .html, .code, .jsonl, .man]

    /// Whether `ext` names a man page section, as `man` files its pages: `1`, `8`, `3pm`, `1ssl`, or `man`.
    static func isManSection(_ ext: String) -> Bool {
        if ext == "man" { return true }
        guard let first = ext.unicodeScalars.first, ("1"..."9").contains(first), ext.count <= 12 else { return false }
        return ext.unicodeScalars.dropFirst().allSatisfy { ("a"..."z").contains($0) }
    }

    /// Extensions read as plain text (an extension-less file is plain text too, if it is text).
    public static let textExtensions: Set<String> = ["txt", "text", "rst", "log", "csv", "tsv", "org", "adoc"]

    /// The format a file would be read as, or nil if Trove does not read this extension.
    public static func format(of file: URL) -> DocumentFormat? {
        let ext = file.pathExtension.lowercased()
        if GzipFile.isGzip(file) {
            // `ls.1.gz`, `README.gz`: the name inside, if it is a format read whole from its bytes.
            let inner = format(of: file.deletingPathExtension())
            return inner.flatMap { gzipFormats.contains($0) ? $0 : nil }
        }
        if isManSection(ext) { return .man }
        switch ext {
        case "": return .text
        case "md", "markdown", "mdown", "mkd": return .markdown
        case "html", "htm", "xhtml": return .html
        case "pdf": return .pdf
        case "jsonl", "ndjson": return .jsonl
        case "docx": return .docx
        case "odt": return .odt
        case "pptx": return .pptx
        case "epub": return .epub
        default:
            if textExtensions.contains(ext) { return .text }
            if codeExtensions.contains(ext) { return .code }
            // `README.Debian`, `NEWS.Debian.gz`, `INSTALL.unix`: a project's documentation files are
            // text, whatever their extension says about the platform they concern.
            let stem = file.lastPathComponent.prefix { $0 != "." }.uppercased()
            return documentationNames.contains(stem) ? .text : nil
        }
    }

    /// Loads `file`, refusing a malformed `.jsonl` line (a caller that asked for a file gets all of
    /// it or an error). Throws ``LoaderError`` naming the file: unsupported extension, not a
    /// regular file, above its size limit, binary content, unreadable, malformed JSONL line,
    /// missing or failing pdftotext, corrupt, encrypted or over-large (zip bomb) DOCX, ODT, PPTX or
    /// EPUB.
    public static func load(_ file: URL, limits: FileSizeLimits = .current) throws -> [LoadedDocument] {
        let loaded = try loadFile(file, limits: limits)
        if let malformed = loaded.malformedRecords.first { throw malformed }
        return loaded.documents
    }

    /// Loads `file` as an ingest does: a malformed `.jsonl` line is left out and listed in
    /// ``LoadedFile/malformedRecords`` while the other records load (a corpus is not lost for
    /// one bad line). Throws ``LoaderError`` for a file that gives nothing.
    public static func loadFile(_ file: URL, limits: FileSizeLimits = .current) throws -> LoadedFile {
        guard let format = format(of: file) else {
            throw LoaderError.unsupportedExtension(file: file.path, extension: file.pathExtension)
        }
        switch format {
        case .text: return LoadedFile(documents: [try PlainTextLoader.load(file, limits: limits)])
        case .markdown: return LoadedFile(documents: [try MarkdownLoader.load(file, limits: limits)])
        case .html: return LoadedFile(documents: [try HTMLLoader.load(file, limits: limits)])
        case .pdf: return LoadedFile(documents: [try PDFLoader.load(file, limits: limits)])
        case .code: return LoadedFile(documents: [try CodeLoader.load(file, limits: limits)])
        case .jsonl: return try JSONLLoader.loadRecords(file, limits: limits)
        case .docx: return LoadedFile(documents: [try DOCXLoader.load(file, limits: limits)])
        case .odt: return LoadedFile(documents: [try ODTLoader.load(file, limits: limits)])
        case .pptx: return LoadedFile(documents: [try PPTXLoader.load(file, limits: limits)])
        case .epub: return LoadedFile(documents: [try EPUBLoader.load(file, limits: limits)])
        case .man: return LoadedFile(documents: [try ManPageLoader.load(file, limits: limits)])
        }
    }

    /// Checks, without opening it, that `file` is a regular file within the limit for its format:
    /// throws ``LoaderError/notRegularFile(file:kind:)`` for a device, FIFO, socket or folder,
    /// ``LoaderError/tooLarge(file:size:limit:)``, or ``LoaderError/unreadable(file:reason:)``
    /// when it cannot be stated. (Reading checks again on the opened file; see ``RegularFile``.)
    public static func checkFile(_ file: URL, limits: FileSizeLimits = .current) throws {
        _ = try RegularFile.check(file.path, limit: limits.bytes(for: format(of: file)))
    }

    /// The file's bytes, read only if it is a regular file of at most `limit` bytes (see
    /// ``RegularFile``), or ``LoaderError/unreadable(file:reason:)`` with the system's errno text
    /// ("Permission denied", …).
    /// A `.gz` file gives its decompressed bytes, held to the same limit (``GzipFile``).
    static func readBytes(_ file: URL, limit: Int64) throws -> Data {
        let bytes = try RegularFile.readAll(file.path, limit: limit)
        return GzipFile.isGzip(file) ? try GzipFile.inflate(bytes, file: file.path, limit: limit) : bytes
    }

    /// The file's text, decoded as ``TextDecoding`` says (binary files rejected).
    static func readText(_ file: URL, limit: Int64) throws -> String {
        try TextDecoding.decode(try readBytes(file, limit: limit), file: file.path)
    }

    /// `strerror(errno)`, e.g. "No such file or directory".
    static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// What one file gave an ingest: its documents, and the records left out.
public struct LoadedFile: Sendable, Equatable {
    /// One document, or one per record of a `.jsonl` corpus.
    public var documents: [LoadedDocument]
    /// The malformed lines of a `.jsonl` corpus (``LoaderError/malformedJSONLLine(file:line:problem:)``,
    /// each naming its line), left out while the other records load.
    public var malformedRecords: [LoaderError]

    /// Documents and what was left out.
    public init(documents: [LoadedDocument], malformedRecords: [LoaderError] = []) {
        self.documents = documents
        self.malformedRecords = malformedRecords
    }
}

/// `.txt`, `.text`, `.rst`, `.log` and extension-less text files: the decoded text as is.
public enum PlainTextLoader {
    /// Loads a plain text file; there is no title (callers fall back to the file name).
    public static func load(_ file: URL, limits: FileSizeLimits = .current) throws -> LoadedDocument {
        LoadedDocument(path: file.path, format: .text, text: try DocumentLoader.readText(file, limit: limits.textBytes))
    }
}

/// Source code and configuration files: the decoded text as is, titled by the file name, since a
/// question about code usually names the file.
public enum CodeLoader {
    /// Loads a source file.
    public static func load(_ file: URL, limits: FileSizeLimits = .current) throws -> LoadedDocument {
        LoadedDocument(path: file.path, format: .code, title: file.lastPathComponent,
                       text: try DocumentLoader.readText(file, limit: limits.textBytes))
    }
}
