import Foundation

/// `.md` and `.markdown` files: the text is the file's own text (so spans point into the file),
/// with its headings located for the chunker's heading paths ("Guide > Install > Linux").
///
/// Headings are ATX (`# Title` … `###### Title`, up to three spaces of indent, closing `#`s dropped)
/// and setext (a line of `===` or `---` under a paragraph line, levels 1 and 2), as CommonMark
/// defines them (https://spec.commonmark.org/0.31.2/#atx-headings); lines inside fenced code blocks
/// (``` or ~~~) are never headings. The title is the first level-1 heading.
public enum MarkdownLoader {
    /// Loads a Markdown file.
    public static func load(_ file: URL, limits: FileSizeLimits = .current) throws -> LoadedDocument {
        let text = try DocumentLoader.readText(file, limit: limits.textBytes)
        let headings = headings(in: text)
        return LoadedDocument(path: file.path, format: .markdown,
                              title: headings.first(where: { $0.level == 1 })?.title,
                              text: text, headings: headings)
    }

    /// The headings of Markdown `text`, in order, with code-point offsets of their line starts.
    public static func headings(in text: String) -> [Heading] {
        var headings: [Heading] = []
        var fence: (marker: Unicode.Scalar, length: Int)? = nil
        var previous: (offset: Int, text: Substring, isParagraph: Bool)? = nil
        var offset = 0
        // Split on scalars, not Characters: "\r\n" is one Character and would hide the line break.
        for scalars in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            let rawLine = Substring(scalars)
            let lineOffset = offset
            offset += scalars.count + 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let body = dropIndent(line)
            defer { if fence == nil { previous = (lineOffset, line, isParagraphLine(line, body)) } }

            if let (marker, length) = fenceMarker(body) {
                if let open = fence {
                    if marker == open.marker && length >= open.length && isBlank(body.unicodeScalars.drop(while: { $0 == marker })) {
                        fence = nil
                    }
                } else {
                    fence = (marker, length)
                }
                previous = nil
                continue
            }
            if fence != nil { continue }
            if let heading = atxHeading(body, offset: lineOffset) {
                headings.append(heading)
                previous = nil
                continue
            }
            if let level = setextLevel(body), let above = previous, above.isParagraph {
                let title = above.text.trimmingCharacters(in: .whitespaces)
                headings.append(Heading(offset: above.offset, level: level, title: title))
                previous = nil
                continue
            }
        }
        return headings
    }

    /// `# Title #` → level 1, "Title"; nil when the line is not an ATX heading.
    static func atxHeading(_ body: Substring, offset: Int) -> Heading? {
        let hashes = body.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(hashes) else { return nil }
        let rest = body.dropFirst(hashes)
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        var title = rest.trimmingCharacters(in: .whitespaces)
        // A closing sequence of #s is dropped when preceded by a space (or when it is all there is).
        let withoutClosing = title.reversed().drop(while: { $0 == "#" })
        if withoutClosing.isEmpty { title = "" }
        else if withoutClosing.first == " " || withoutClosing.first == "\t" {
            title = String(withoutClosing.reversed()).trimmingCharacters(in: .whitespaces)
        }
        guard !title.isEmpty else { return nil }
        return Heading(offset: offset, level: hashes, title: title)
    }

    /// 1 for a `===` underline, 2 for `---`, else nil.
    static func setextLevel(_ body: Substring) -> Int? {
        let trimmed = body.trimmingCharacters(in: .whitespaces)
        guard let first = trimmed.first, first == "=" || first == "-", trimmed.allSatisfy({ $0 == first }) else { return nil }
        return first == "=" ? 1 : 2
    }

    /// A line that can sit above a setext underline: text that is not a list item, quote or table.
    private static func isParagraphLine(_ line: Substring, _ body: Substring) -> Bool {
        guard !isBlank(line.unicodeScalars), line.prefix(while: { $0 == " " }).count <= 3 else { return false }
        if let first = body.first, "-*+>|".contains(first) { return false }
        return setextLevel(body) == nil
    }

    /// ``` or ~~~ (three or more) at the start of `body`: the marker and its length.
    private static func fenceMarker(_ body: Substring) -> (Unicode.Scalar, Int)? {
        guard let first = body.unicodeScalars.first, first == "`" || first == "~" else { return nil }
        let length = body.unicodeScalars.prefix(while: { $0 == first }).count
        return length >= 3 ? (first, length) : nil
    }

    /// The line without up to three leading spaces (four make an indented code block).
    private static func dropIndent(_ line: Substring) -> Substring {
        let spaces = line.prefix(while: { $0 == " " }).count
        return spaces <= 3 ? line.dropFirst(spaces) : line
    }

    private static func isBlank<S: Sequence>(_ scalars: S) -> Bool where S.Element == Unicode.Scalar {
        scalars.allSatisfy { $0.properties.isWhitespace }
    }
}
