import Foundation

/// `.pptx` files (PowerPoint, Office Open XML): each slide's text in the order of the deck, the
/// slide number as the page of its chunks, and its title as a level-1 heading.
///
/// Slides come in the order of the presentation's slide list (`p:sldIdLst` through
/// `ppt/_rels/presentation.xml.rels`), not of their file names (`slide10.xml` sorts before
/// `slide2.xml`, and a reordered deck keeps its old names). On a slide, the title placeholder
/// comes first, then every other shape in the shape tree's order (how PowerPoint's reading order
/// for screen readers goes): a shape's paragraphs are lines of one block, a table's rows are lines
/// with its cells separated by tabs, groups are read through; then the speaker notes (the notes
/// slide's body placeholder), which often say what the slide only hints at. The fallback copies
/// that `mc:Fallback` keeps for older readers are left out.
///
/// ``LoadedDocument/pageStarts`` holds each slide's start, so `page` is the slide number; a
/// slide without text keeps its number. The title is the document properties' title, else the
/// first slide's title.
public enum PPTXLoader {
    static let presentationNamespace = "http://schemas.openxmlformats.org/presentationml/2006/main"
    static let drawingNamespace = "http://schemas.openxmlformats.org/drawingml/2006/main"
    static let relationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let notesSlide = "/notesSlide"

    /// Loads a PowerPoint file.
    public static func load(_ file: URL, limits: FileSizeLimits = .current) throws -> LoadedDocument {
        try DocumentArchive.read(file, limits: limits) { archive in
            let package = try OfficeRelationships(of: "", in: archive)
            let main = package.target(ofType: OfficeRelationships.officeDocument) ?? "ppt/presentation.xml"
            let presentation = try archive.xml(main)
            let relationships = try OfficeRelationships(of: main, in: archive)
            let p = presentation.root.namespace
            let slideIDs = presentation.root.child("sldIdLst", in: p)?.elements.filter { $0.is("sldId", in: p) } ?? []
            var reader = SlideReader(p: p)
            for slideID in slideIDs {
                guard let id = slideID.attribute("id", in: relationshipsNamespace), let part = relationships.target(id: id) else {
                    throw LoaderError.malformedDocument(file: file.path, part: main,
                                                        problem: "lists a slide whose relationship is missing")
                }
                let notes = try OfficeRelationships(of: part, in: archive).target(ofType: notesSlide)
                reader.readSlide(try archive.xml(part), notes: try notes.flatMap { try archive.xmlIfPresent($0) })
            }
            reader.builder.finish()
            let title = try OfficeCoreProperties.title(package, archive) ?? reader.builder.headings.first?.title
            return LoadedDocument(path: file.path, format: .pptx, title: title, text: reader.builder.text,
                                  pageStarts: reader.builder.pageStarts, headings: reader.builder.headings)
        }
    }
}

/// Reads slides (`p:sld`) into a ``DocumentTextBuilder``, one page per slide.
private struct SlideReader {
    /// The PresentationML namespace the deck uses.
    let p: String
    var builder = DocumentTextBuilder()
    let a = PPTXLoader.drawingNamespace

    mutating func readSlide(_ slide: XMLTree, notes: XMLTree?) {
        builder.startPage()
        let shapes = self.shapes(in: slide.root)
        for title in shapes where placeholderType(title) == "title" || placeholderType(title) == "ctrTitle" {
            builder.appendHeading(shapeText(title), level: 1)
        }
        for shape in shapes where placeholderType(shape) != "title" && placeholderType(shape) != "ctrTitle" {
            builder.appendParagraph(shapeText(shape))
        }
        // On a notes slide, the body placeholder holds the notes (the others: the slide's image, its number).
        for shape in notes.map({ self.shapes(in: $0.root) }) ?? [] where placeholderType(shape) == "body" {
            builder.appendParagraph(shapeText(shape))
        }
    }

    /// The shapes of a slide's (or notes slide's) shape tree.
    func shapes(in root: XMLTree.Element) -> [XMLTree.Element] {
        root.child("cSld", in: p)?.child("spTree", in: p).map { shapes(inTree: $0) } ?? []
    }

    /// The shapes that hold text, in the tree's order, groups opened.
    func shapes(inTree element: XMLTree.Element) -> [XMLTree.Element] {
        element.elements.flatMap { child -> [XMLTree.Element] in
            if child.namespace == DOCXLoader.compatibilityNamespace && child.name == "Fallback" { return [] }
            if child.is("sp", in: p) || child.is("graphicFrame", in: p) { return [child] }
            if child.is("grpSp", in: p) || child.namespace == DOCXLoader.compatibilityNamespace { return shapes(inTree: child) }
            return []
        }
    }

    /// The placeholder a shape fills: `title`, `ctrTitle` (a title slide's), `body`, …; nil for
    /// a shape that fills none. A placeholder without a type is a body (ECMA-376 19.3.1.36).
    func placeholderType(_ shape: XMLTree.Element) -> String? {
        guard let placeholder = shape.child("nvSpPr", in: p)?.child("nvPr", in: p)?.child("ph", in: p) else { return nil }
        return placeholder.attribute("type") ?? "body"
    }

    /// A text shape's paragraphs on lines; a table's rows on lines, cells separated by tabs.
    func shapeText(_ shape: XMLTree.Element) -> String {
        if let body = shape.child("txBody", in: p) { return paragraphs(of: body) }
        let rows = shape.descendants("tr", in: a)
        return rows.map { row in
            row.elements.filter { $0.is("tc", in: a) }
                .map { cell in DocumentTextBuilder.collapsingWhitespace(cell.child("txBody", in: a).map(paragraphs(of:)) ?? "") }
                .joined(separator: "\t")
        }.joined(separator: "\n")
    }

    /// The `a:p`s of a text body, one per line.
    func paragraphs(of body: XMLTree.Element) -> String {
        body.elements.filter { $0.is("p", in: a) }.map(runText).joined(separator: "\n")
    }

    /// A DrawingML paragraph's text: runs, fields (slide numbers, dates) and line breaks.
    func runText(_ element: XMLTree.Element) -> String {
        element.elements.map { child -> String in
            guard child.namespace == a else { return "" }
            switch child.name {
            case "t": return child.text
            case "br": return "\n"
            case "r", "fld": return runText(child)
            default: return ""
            }
        }.joined()
    }
}
