import Foundation

/// `.odt` files (OpenDocument text, LibreOffice Writer): the body's headings, paragraphs, lists
/// and tables in reading order, the headings (`text:h` with its `text:outline-level`) for the
/// chunker's heading paths.
///
/// Text follows OpenDocument's rules for white space (ODF 1.3 part 3, 6.1.2): runs of spaces,
/// tabs and line ends in the XML are one space, and `text:s`, `text:tab` and `text:line-break`
/// stand for the real ones. A footnote or endnote (`text:note`) is not read where it is anchored,
/// which would cut the sentence, but follows its paragraph as a block of its own; annotations,
/// tracked deletions and generated indexes (a table of contents repeats the headings) are left
/// out. A table is one block, a row per line and its cells separated by tabs.
///
/// A file saved with a password keeps its zip readable but encrypts `content.xml`, which
/// `META-INF/manifest.xml` says: that is reported as ``LoaderError/encrypted(file:detail:)``.
/// The title is `meta.xml`'s `dc:title`, else the first paragraph in the "Title" style, else the
/// first level-1 heading.
///
/// Pages: LibreOffice records where its layout broke pages (`text:soft-page-break`, between or
/// inside paragraphs) and a typed page break is a paragraph style's `fo:break-before="page"` or
/// `fo:break-after="page"` (``OpenDocumentPageBreakStyles``); the two never mark the same break.
/// A document with neither (as pandoc writes) has no pages.
public enum ODTLoader {
    static let text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    static let table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    static let office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    static let manifest = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"

    /// Indexes generated from the text itself (ODF 1.3 part 3, 8): left out.
    static let generatedIndexes: Set<String> = [
        "table-of-content", "illustration-index", "table-index", "object-index", "user-index",
        "alphabetical-index", "bibliography",
    ]

    /// Loads an OpenDocument text file.
    public static func load(_ file: URL, limits: FileSizeLimits = .current) throws -> LoadedDocument {
        try DocumentArchive.read(file, limits: limits) { archive in
            if let manifest = try archive.xmlIfPresent("META-INF/manifest.xml"),
               manifest.root.elements.contains(where: { $0.attribute("full-path", in: Self.manifest) == "content.xml"
                                                         && $0.child("encryption-data", in: Self.manifest) != nil }) {
                throw LoaderError.encrypted(file: file.path, detail: "an OpenDocument file saved with a password")
            }
            let content = try archive.xml("content.xml")
            let breaks = OpenDocumentPageBreakStyles([try archive.xmlIfPresent("styles.xml"), content].compactMap { $0 })
            var reader = OpenDocumentTextReader(breakingStyles: breaks)
            if let body = content.root.child("body", in: office)?.child("text", in: office) { reader.readBlocks(of: body) }
            reader.builder.finish()
            // Page 1 starts at the top (unless a break before the first paragraph said so already).
            let breaksFound = reader.builder.pageStarts
            let pageStarts = breaksFound.isEmpty || breaksFound.first == 0 ? breaksFound : [0] + breaksFound
            let metaTitle = try archive.xmlIfPresent("meta.xml")?.root.child("meta", in: office)?
                .child("title", in: OfficeCoreProperties.dublinCore).map { DocumentTextBuilder.collapsingWhitespace($0.text) }
            let title = metaTitle.flatMap { $0.isEmpty ? nil : $0 }
                ?? reader.titleParagraph ?? reader.builder.headings.first { $0.level == 1 }?.title
            return LoadedDocument(path: file.path, format: .odt, title: title, text: reader.builder.text,
                                  pageStarts: pageStarts, headings: reader.builder.headings)
        }
    }
}

/// Walks `office:text`, writing its blocks into a ``DocumentTextBuilder``.
private struct OpenDocumentTextReader {
    let breakingStyles: OpenDocumentPageBreakStyles
    var builder = DocumentTextBuilder()
    var titleParagraph: String?
    let text = ODTLoader.text, table = ODTLoader.table

    /// Stands for a soft page break inside a paragraph until the paragraph is split there.
    static let pageBreak: Character = "\u{0C}"

    mutating func readBlocks(of element: XMLTree.Element) {
        for child in element.elements {
            if child.is("h", in: text) || child.is("p", in: text) {
                readParagraph(child)
            } else if child.is("soft-page-break", in: text) {
                builder.startPage()
            } else if child.is("table", in: table) {
                builder.appendParagraph(tableText(child))
            } else if child.namespace == text && (ODTLoader.generatedIndexes.contains(child.name) || child.name == "tracked-changes") {
                continue
            } else {
                readBlocks(of: child)   // lists and their items, sections, office:text itself
            }
        }
    }

    /// A heading or paragraph; a soft page break inside it splits it into two blocks, the second
    /// on the new page.
    mutating func readParagraph(_ paragraph: XMLTree.Element) {
        let style = paragraph.attribute("style-name", in: text)
        let (breakBefore, breakAfter) = style.map(breakingStyles.breaks(of:)) ?? (false, false)
        if breakBefore { builder.startPage() }
        let pieces = inlineText(paragraph).split(separator: Self.pageBreak, omittingEmptySubsequences: false)
        let first = String(pieces[0])
        if paragraph.is("h", in: text) {
            let level = paragraph.attribute("outline-level", in: text).flatMap(Int.init) ?? 1
            builder.appendHeading(first, level: max(level, 1))
        } else {
            if titleParagraph == nil, style == "Title" { titleParagraph = DocumentTextBuilder.collapsingWhitespace(first) }
            builder.appendParagraph(first)
        }
        for piece in pieces.dropFirst() {
            builder.startPage()
            builder.appendParagraph(String(piece))
        }
        for note in paragraph.descendants("note", in: text) {
            builder.appendParagraph(note.child("note-body", in: text).map(inlineText) ?? "")
        }
        if breakAfter { builder.startPage() }
    }

    /// Rows on lines, cells separated by tabs.
    func tableText(_ element: XMLTree.Element) -> String {
        rows(of: element).map { row in
            row.elements.filter { $0.is("table-cell", in: table) }
                .map { DocumentTextBuilder.collapsingWhitespace(inlineText($0)) }.joined(separator: "\t")
        }.joined(separator: "\n")
    }

    /// The rows of a table, inside header and row groups too, not those of nested tables.
    func rows(of element: XMLTree.Element) -> [XMLTree.Element] {
        element.elements.flatMap { child -> [XMLTree.Element] in
            if child.is("table-row", in: table) { return [child] }
            return child.is("table-cell", in: table) || child.is("table", in: table) ? [] : rows(of: child)
        }
    }

    /// The text of a paragraph or heading (or of a cell, a frame: nested paragraphs on new lines).
    func inlineText(_ element: XMLTree.Element) -> String {
        var result = ""
        for node in element.children {
            switch node {
            case let .text(characters):
                result += Self.collapsingXMLWhitespace(characters)
            case let .element(child) where child.namespace == text:
                switch child.name {
                case "s": result += String(repeating: " ", count: max(child.attribute("c", in: text).flatMap(Int.init) ?? 1, 1))
                case "tab": result += "\t"
                case "soft-page-break": result += String(Self.pageBreak)
                case "line-break": result += "\n"
                case "note", "tracked-changes": continue
                case "p", "h": result += (result.isEmpty ? "" : "\n") + inlineText(child)
                default: result += inlineText(child)   // spans, links, list items in frames
                }
            case let .element(child) where child.namespace == ODTLoader.office && child.name == "annotation":
                continue
            case let .element(child) where child.is("table", in: table):
                result += (result.isEmpty ? "" : "\n") + tableText(child)
            case let .element(child):
                result += inlineText(child)   // frames, text boxes, cells
            }
        }
        return result
    }

    /// Runs of XML white space (space, tab, CR, LF) as one space.
    static func collapsingXMLWhitespace(_ characters: String) -> String {
        var result = String.UnicodeScalarView()
        var afterSpace = false
        for scalar in characters.unicodeScalars {
            let isSpace = scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
            if !isSpace || !afterSpace { result.append(isSpace ? " " : scalar) }
            afterSpace = isSpace
        }
        return String(result)
    }
}
