import Foundation

/// Where an answer comes from, in a form a person can open: `notes/fog.txt:12-19`,
/// `library/random.html#random.randint`, `report.pdf, page 3`, `deck.pptx, slide 2`,
/// `book.epub#text/ch002.xhtml#storms`, with the section it is in.
public struct Citation: Codable, Sendable, Equatable {
    /// The passage number, as in `[n]`.
    public var n: Int
    /// The document's path, relative to the current directory when it lies below it.
    public var path: String
    /// The path with the lines, anchor or page: what to open.
    public var location: String
    /// The heading path ("Title > Section"), when the document has headings.
    public var section: String?
    /// The HTML anchor (`id`) in force where the quote is.
    public var anchor: String?
    public var page: Int?
    /// 1-based lines of the file that the quote spans (text, Markdown and code).
    public var lineStart: Int?
    public var lineEnd: Int?
    /// Code-point offsets of the quote in the document's extracted text.
    public var start: Int
    public var end: Int
    /// The sentence(s) of the passage that the answer quotes, verbatim.
    public var quote: String
    /// The whole passage.
    public var text: String

    enum CodingKeys: String, CodingKey {
        case n, path, location, section, anchor, page, start, end, quote, text
        case lineStart = "line_start"
        case lineEnd = "line_end"
    }

    /// The citation of the quote at `range` of `text`, the (untrimmed) text of `passage`.
    init(passage: Passage, quoting range: Range<String.Index>, in text: String) {
        let before = text[..<range.lowerBound]
        let offset = before.unicodeScalars.count
        let length = text[range].unicodeScalars.count
        n = passage.n
        path = passage.path
        section = passage.section
        anchor = passage.anchor
        page = passage.page
        start = passage.start + offset
        end = passage.start + offset + length
        quote = String(text[range])
        self.text = text
        if let first = passage.lineStart {
            lineStart = first + before.filter { $0 == "\n" }.count
            lineEnd = lineStart! + quote.filter { $0 == "\n" }.count
        }
        location = Citation.location(path: path, lineStart: lineStart, lineEnd: lineEnd, anchor: anchor, page: page)
    }

    /// What to open: `path:12-19`, `path#anchor`, `path, page 3`, or the path alone.
    public static func location(path: String, lineStart: Int?, lineEnd: Int?, anchor: String?, page: Int?) -> String {
        if let lineStart, let lineEnd {
            return lineEnd > lineStart ? "\(path):\(lineStart)-\(lineEnd)" : "\(path):\(lineStart)"
        }
        if let anchor { return "\(path)#\(anchor)" }
        // A PowerPoint file's pages are its slides (see Ingest's PPTXLoader).
        if let page { return "\(path), \(path.lowercased().hasSuffix(".pptx") ? "slide" : "page") \(page)" }
        return path
    }

    /// `path` relative to `directory` when it lies below it, else as stored.
    static func displayPath(_ path: String, relativeTo directory: String = FileManager.default.currentDirectoryPath) -> String {
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return path.hasPrefix(base) && path.count > base.count ? String(path.dropFirst(base.count)) : path
    }
}
