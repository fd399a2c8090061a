import Foundation

/// What a Word paragraph style makes of a paragraph: a heading of some level, the title, or body
/// text, read from `word/styles.xml`.
///
/// Style ids are not to be trusted for this: Word writes them in the user's language
/// ("berschrift1" in German), so a style is a heading by its outline level (`w:outlineLvl`, 0 for
/// level 1; 9 means body text), else by its name, which Word keeps in English ("heading 1",
/// "Title"), following `w:basedOn` to the style it inherits from.
struct WordStyles {
    enum ParagraphKind: Equatable {
        case body
        case heading(Int)
        case title
    }

    private struct Style {
        var name: String?
        var basedOn: String?
        var outlineLevel: Int?
    }

    private var styles: [String: Style] = [:]

    /// The styles of a `w:styles` part (none when the document has no styles part).
    init(_ tree: XMLTree?) {
        guard let root = tree?.root else { return }
        let w = root.namespace
        for style in root.elements where style.is("style", in: w) && style.attribute("type", in: w) == "paragraph" {
            guard let id = style.attribute("styleId", in: w) else { continue }
            styles[id] = Style(name: style.child("name", in: w)?.attribute("val", in: w),
                               basedOn: style.child("basedOn", in: w)?.attribute("val", in: w),
                               outlineLevel: style.child("pPr", in: w)?.child("outlineLvl", in: w)?
                                   .attribute("val", in: w).flatMap(Int.init))
        }
    }

    /// Heading level `outline + 1` for Word's outline levels 0–8, nil for 9 (body text) or others.
    static func kind(outlineLevel: Int) -> ParagraphKind? {
        (0...8).contains(outlineLevel) ? .heading(outlineLevel + 1) : nil
    }

    /// The kind of paragraph the style `id` makes; a style chain is followed at most 16 steps (a
    /// cycle of `basedOn`s in a damaged file ends there).
    func kind(of id: String) -> ParagraphKind {
        var current: String? = id
        for _ in 0..<16 {
            guard let key = current, let style = styles[key] else { break }
            if let level = style.outlineLevel { return Self.kind(outlineLevel: level) ?? .body }
            if let kind = style.name.flatMap(Self.kind(name:)) { return kind }
            current = style.basedOn
        }
        // A document without a styles part still names its styles by id.
        return Self.kind(name: id) ?? .body
    }

    /// "heading 1" … "heading 9" (any case and spacing: "Heading1" too) and "Title".
    static func kind(name: String) -> ParagraphKind? {
        let compact = name.lowercased().filter { !$0.isWhitespace }
        if compact == "title" { return .title }
        guard compact.hasPrefix("heading"), let level = Int(compact.dropFirst("heading".count)), (1...9).contains(level) else { return nil }
        return .heading(level)
    }
}
