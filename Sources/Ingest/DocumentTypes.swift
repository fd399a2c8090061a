import Foundation

/// The kinds of file Trove reads. The raw value is what the index stores in `documents.format`.
public enum DocumentFormat: String, Sendable, Codable, CaseIterable {
    case text, markdown, html, pdf, code, jsonl
    /// Zip-based documents: Word (Office Open XML), OpenDocument text, PowerPoint, EPUB.
    case docx, odt, pptx, epub
    /// Man pages: roff source with the man(7) or mdoc(7) macros (`ls.1`, `ls.1.gz`).
    case man
}

/// A document's extracted text and what a citation needs to point back at the original.
///
/// For plain text, Markdown and code, `text` is the file's own text (after UTF-8 decoding), so a
/// span into it is a span into the file. For HTML it is the visible text; for PDF the pages'
/// text joined by form feeds ("\u{0C}"); for a `.jsonl` record, `title + "\n\n" + text`; for DOCX,
/// ODT, PPTX, EPUB and man pages the paragraphs in reading order, separated by blank lines
/// (``DocumentTextBuilder``).
public struct LoadedDocument: Sendable, Equatable {
    /// Where it came from: the file's path, or `file.jsonl#<_id>` for one record of a JSONL corpus.
    public var path: String
    public var format: DocumentFormat
    public var title: String?
    public var text: String
    /// For PDF: the code-point offset in `text` where each page starts (page n at index n-1); for
    /// PPTX, where each slide starts (slide n at index n-1).
    public var pageStarts: [Int]
    /// For Markdown, HTML, DOCX, ODT, EPUB and man pages (`NAME`, `DESCRIPTION`): headings with their code-point offset and level (1
    /// for `#`, `<h1>`, Word's "Heading 1"); for PPTX, each slide's title at level 1.
    public var headings: [Heading]
    /// For HTML: the elements a link can point at (`id` attributes of headings, sections and
    /// definitions), at the code-point offset where their text starts, in order. For EPUB: each
    /// chapter's file inside the book (`text/ch002.xhtml`) and its ids (`text/ch002.xhtml#storms`).
    public var anchors: [TextAnchor]

    public init(path: String, format: DocumentFormat, title: String? = nil, text: String,
                pageStarts: [Int] = [], headings: [Heading] = [], anchors: [TextAnchor] = []) {
        self.path = path
        self.format = format
        self.title = title
        self.text = text
        self.pageStarts = pageStarts
        self.headings = headings
        self.anchors = anchors
    }

    /// Whether `text` is the file's own text, so that a span's line numbers are the file's lines.
    public var textIsFileText: Bool { format == .text || format == .markdown || format == .code }
}

/// A place in a document that a URL fragment can name: `page.html#id`.
public struct TextAnchor: Sendable, Equatable {
    public var offset: Int
    public var id: String
    public init(offset: Int, id: String) {
        self.offset = offset
        self.id = id
    }
}

/// A heading (Markdown or HTML) at a code-point offset of its document's text.
public struct Heading: Sendable, Equatable {
    public var offset: Int
    public var level: Int
    public var title: String
    /// For HTML: the `id` of the heading or of the section it opens, when the page gives one.
    public var anchor: String?
    public init(offset: Int, level: Int, title: String, anchor: String? = nil) {
        self.offset = offset
        self.level = level
        self.title = title
        self.anchor = anchor
    }
}

/// A piece of a document small enough for the encoder's window.
///
/// `start..<end` are Unicode code-point offsets into ``LoadedDocument/text``; the chunk's text is
/// exactly the document's text in that range.
public struct DocumentChunk: Sendable, Equatable {
    public var ordinal: Int
    public var text: String
    public var start: Int
    public var end: Int
    /// Word pieces, without [CLS]/[SEP].
    public var tokenCount: Int
    /// 1-based page for PDF, slide for PPTX.
    public var page: Int?
    /// "Title > Section > Subsection" for Markdown, HTML and the zip-based documents.
    public var headingPath: String?
    /// 1-based first and last line of the file that the chunk spans (text, Markdown and code).
    public var lineStart: Int?
    public var lineEnd: Int?
    /// For HTML: the anchor (`id`) in force where the chunk starts, for `page.html#id`; for EPUB the
    /// chapter file and id (`book.epub#text/ch002.xhtml#storms`).
    public var anchor: String?

    public init(ordinal: Int, text: String, start: Int, end: Int, tokenCount: Int,
                page: Int? = nil, headingPath: String? = nil,
                lineStart: Int? = nil, lineEnd: Int? = nil, anchor: String? = nil) {
        self.ordinal = ordinal
        self.text = text
        self.start = start
        self.end = end
        self.tokenCount = tokenCount
        self.page = page
        self.headingPath = headingPath
        self.lineStart = lineStart
        self.lineEnd = lineEnd
        self.anchor = anchor
    }
}

/// What the ingest pipeline needs from an encoder: implemented by BertEncoder's `TextEmbedder`
/// (wired in the Trove facade), and by a small fake in tests.
public protocol ChunkEncoder: Sendable {
    /// Identity recorded in the index (model name and a fingerprint of its files).
    var identity: String { get }
    /// Length of each embedding.
    var dimension: Int { get }
    /// The encoder's window in word pieces including [CLS] and [SEP] (256 for all-MiniLM-L6-v2).
    var maxTokens: Int { get }
    /// Word pieces of `text`, without [CLS]/[SEP] and without truncation.
    func wordPieceCount(_ text: Substring) -> Int
    /// One L2-normalised embedding per text.
    func embed(_ texts: [String]) throws -> [[Float]]
    /// How the vectors are computed (`fp32`, `int8`, `bf16`), recorded in the index as
    /// `encoder_precision`; `fp32` unless the encoder says otherwise.
    var vectorPrecision: String { get }
}

extension ChunkEncoder {
    public var vectorPrecision: String { "fp32" }
}
