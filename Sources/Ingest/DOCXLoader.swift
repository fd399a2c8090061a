import Foundation

/// `.docx` files (Word, Office Open XML): the body's paragraphs and tables in reading order, its
/// headings for the chunker's heading paths.
///
/// The main part is found through the package's relationships (`word/document.xml` as a rule).
/// A paragraph is a heading when its style is one (``WordStyles``: an outline level, or a style
/// named "heading N", following `basedOn`), or when it carries an outline level itself. Text is
/// what Word shows: tracked deletions, field codes and the fallback copies of drawings
/// (`mc:Fallback`, which repeat a text box's text for older readers) are left out; tabs and line
/// breaks are kept. A table is one block, a row per line and its cells separated by tabs. A
/// footnote or endnote follows the paragraph that refers to it, as a block of its own (so it
/// keeps that paragraph's heading path and page); comments, headers and footers are not read.
///
/// The title is the document properties' title (`docProps/core.xml`), else the first paragraph
/// in the "Title" style, else the first level-1 heading.
///
/// Pages: a Word file has none until it is laid out, but Word records where its last layout
/// started each page (`w:lastRenderedPageBreak`, written on every save), and a page break a
/// person typed is in the file (`w:br w:type="page"`, `w:pageBreakBefore`). The first are used
/// when present (they include the typed breaks), else the second; a document with neither (as
/// pandoc and most converters write) has no pages, and its chunks carry only the heading path.
public enum DOCXLoader {
    static let mainNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let compatibilityNamespace = "http://schemas.openxmlformats.org/markup-compatibility/2006"

    /// Loads a Word file.
    public static func load(_ file: URL, limits: FileSizeLimits = .current) throws -> LoadedDocument {
        try DocumentArchive.read(file, limits: limits) { archive in
            let package = try OfficeRelationships(of: "", in: archive)
            let main = package.target(ofType: OfficeRelationships.officeDocument) ?? "word/document.xml"
            let document = try archive.xml(main)
            let parts = try OfficeRelationships(of: main, in: archive)
            let styles = WordStyles(try parts.target(ofType: OfficeRelationships.styles).flatMap { try archive.xmlIfPresent($0) })
            var reader = WordBodyReader(w: document.root.namespace, styles: styles, pageBreaks: .inDocument(document.root))
            for (type, reference) in [("/footnotes", "footnoteReference"), ("/endnotes", "endnoteReference")] {
                guard let part = parts.target(ofType: type), let notes = try archive.xmlIfPresent(part) else { continue }
                reader.notes[reference] = reader.noteTexts(notes.root)
            }
            if reader.pageBreaks != .none { reader.builder.startPage() }
            reader.readBlocks(of: document.root)
            reader.builder.finish()
            let title = try OfficeCoreProperties.title(package, archive)
                ?? reader.titleParagraph ?? reader.builder.headings.first { $0.level == 1 }?.title
            return LoadedDocument(path: file.path, format: .docx, title: title, text: reader.builder.text,
                                  pageStarts: reader.builder.pageStarts, headings: reader.builder.headings)
        }
    }
}

/// Which page breaks of a Word document mark its pages.
private enum WordPageBreaks {
    /// None: the document has no pages.
    case none
    /// Where Word's last layout started each page (`w:lastRenderedPageBreak`).
    case rendered
    /// The breaks typed into the document (`w:br w:type="page"`, `w:pageBreakBefore`).
    case typed

    static func inDocument(_ root: XMLTree.Element) -> WordPageBreaks {
        let w = root.namespace
        if !root.descendants("lastRenderedPageBreak", in: w).isEmpty { return .rendered }
        let typed = root.descendants("br", in: w).contains { $0.attribute("type", in: w) == "page" }
            || root.descendants("pageBreakBefore", in: w).contains { WordBodyReader.isOn($0, w) }
        return typed ? .typed : .none
    }
}

/// Walks a WordprocessingML body (`w:body`), writing its blocks into a ``DocumentTextBuilder``.
private struct WordBodyReader {
    /// The document's WordprocessingML namespace (transitional or strict: whichever it uses).
    let w: String
    let styles: WordStyles
    let pageBreaks: WordPageBreaks
    var builder = DocumentTextBuilder()
    var titleParagraph: String?
    /// Footnote and endnote texts by id, under the name of the element that refers to them.
    var notes: [String: [String: String]] = [:]

    /// Stands for a page break in a paragraph's text until the paragraph is split there.
    static let pageBreak: Character = "\u{0C}"

    /// A `w:pageBreakBefore`-like toggle that is on: no `w:val`, or one that is not false.
    static func isOn(_ toggle: XMLTree.Element, _ w: String) -> Bool {
        !["0", "false", "off"].contains(toggle.attribute("val", in: w) ?? "true")
    }

    mutating func readBlocks(of element: XMLTree.Element) {
        for child in element.elements {
            if child.namespace == DOCXLoader.compatibilityNamespace && child.name == "Fallback" { continue }
            guard child.namespace == w else {
                readBlocks(of: child)          // mc:AlternateContent's Choice, custom XML
                continue
            }
            switch child.name {
            case "p": readParagraph(child)
            case "tbl": builder.appendParagraph(tableText(child))
            case "sectPr", "del", "moveFrom": continue
            default: readBlocks(of: child)   // w:body, w:sdt, w:sdtContent, w:customXml, w:ins
            }
        }
    }

    mutating func readParagraph(_ paragraph: XMLTree.Element) {
        let properties = paragraph.child("pPr", in: w)
        if pageBreaks == .typed, let toggle = properties?.child("pageBreakBefore", in: w), Self.isOn(toggle, w) {
            builder.startPage()
        }
        // A page break inside the paragraph splits it into two blocks, the second on the new page.
        let pieces = inlineText(paragraph).split(separator: Self.pageBreak, omittingEmptySubsequences: false)
        let text = String(pieces[0])
        defer {
            for piece in pieces.dropFirst() {
                builder.startPage()
                builder.appendParagraph(String(piece))
            }
            for (reference, texts) in notes {
                for mark in paragraph.descendants(reference, in: w) {
                    if let id = mark.attribute("id", in: w), let note = texts[id] { builder.appendParagraph(note) }
                }
            }
        }
        let style = properties?.child("pStyle", in: w)?.attribute("val", in: w)
        let directLevel = properties?.child("outlineLvl", in: w)?.attribute("val", in: w).flatMap(Int.init)
        let kind = directLevel.flatMap(WordStyles.kind(outlineLevel:)) ?? style.map(styles.kind(of:)) ?? .body
        switch kind {
        case let .heading(level): builder.appendHeading(text, level: level)
        case .title:
            if titleParagraph == nil { titleParagraph = DocumentTextBuilder.collapsingWhitespace(text) }
            builder.appendParagraph(text)
        case .body: builder.appendParagraph(text)
        }
    }

    /// The notes of a footnotes or endnotes part by id, their paragraphs on lines; the separators
    /// Word keeps there (`w:type="separator"`, …) are not notes.
    func noteTexts(_ root: XMLTree.Element) -> [String: String] {
        var texts: [String: String] = [:]
        for note in root.elements where (note.name == "footnote" || note.name == "endnote") && note.namespace == w {
            guard let id = note.attribute("id", in: w), (note.attribute("type", in: w) ?? "normal") == "normal" else { continue }
            texts[id] = note.elements.filter { $0.is("p", in: w) }.map(inlineText)
                .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return texts
    }

    /// Rows on lines, cells separated by tabs; a cell's paragraphs joined by spaces.
    func tableText(_ table: XMLTree.Element) -> String {
        rows(of: table).map { row in
            cells(of: row).map { DocumentTextBuilder.collapsingWhitespace(inlineText($0)) }.joined(separator: "\t")
        }.joined(separator: "\n")
    }

    /// The `w:tr`s of a table, also inside content controls and custom XML, not of nested tables.
    func rows(of element: XMLTree.Element) -> [XMLTree.Element] {
        element.elements.flatMap { child -> [XMLTree.Element] in
            if child.is("tr", in: w) { return [child] }
            return child.is("tbl", in: w) ? [] : rows(of: child)
        }
    }

    func cells(of row: XMLTree.Element) -> [XMLTree.Element] {
        row.elements.flatMap { child -> [XMLTree.Element] in
            if child.is("tc", in: w) { return [child] }
            return child.is("trPr", in: w) ? [] : cells(of: child)
        }
    }

    /// The text Word shows for `element`'s runs (a paragraph, a cell, a hyperlink).
    func inlineText(_ element: XMLTree.Element) -> String {
        var text = ""
        for node in element.children {
            guard case let .element(child) = node else { continue }   // text outside w:t is markup whitespace
            if child.namespace == DOCXLoader.compatibilityNamespace && child.name == "Fallback" { continue }
            guard child.namespace == w else {
                text += inlineText(child)
                continue
            }
            switch child.name {
            case "t": text += child.text
            case "tab", "ptab": text += "\t"
            case "br" where child.attribute("type", in: w) == "page": text += pageBreaks == .typed ? String(Self.pageBreak) : "\n"
            case "lastRenderedPageBreak" where pageBreaks == .rendered: text += String(Self.pageBreak)
            case "br", "cr": text += "\n"
            case "noBreakHyphen": text += "-"
            case "p": text += (text.isEmpty ? "" : "\n") + inlineText(child)     // a text box's or a cell's paragraphs
            case "tbl": text += (text.isEmpty ? "" : "\n") + tableText(child)
            case "del", "moveFrom", "delText", "instrText", "pPr", "rPr", "tcPr", "trPr", "tblPr", "sdtPr": continue
            default: text += inlineText(child)   // w:r, w:hyperlink, w:ins, w:smartTag, w:fldSimple, drawings
            }
        }
        return text
    }
}
