import Foundation

/// The OpenDocument paragraph styles that break the page: `fo:break-before="page"` or
/// `fo:break-after="page"` in their paragraph properties, their own or inherited through
/// `style:parent-style-name` (a page break typed in LibreOffice gives the paragraph an automatic
/// style with `fo:break-before="page"`). Read from `styles.xml` and `content.xml`'s automatic styles.
struct OpenDocumentPageBreakStyles {
    static let styleNamespace = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
    static let formattingNamespace = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"

    private struct Style {
        var parent: String?
        var breakBefore: Bool?
        var breakAfter: Bool?
    }

    private var styles: [String: Style] = [:]

    /// The paragraph styles of `parts` (a later part's style of the same name wins, as
    /// content.xml's automatic styles do over styles.xml).
    init(_ parts: [XMLTree]) {
        let style = Self.styleNamespace, fo = Self.formattingNamespace
        for part in parts {
            for container in part.root.elements where container.name == "styles" || container.name == "automatic-styles" {
                for element in container.elements where element.is("style", in: style) {
                    guard let name = element.attribute("name", in: style) else { continue }
                    let properties = element.child("paragraph-properties", in: style)
                    styles[name] = Style(parent: element.attribute("parent-style-name", in: style),
                                         breakBefore: properties?.attribute("break-before", in: fo).map { $0 == "page" },
                                         breakAfter: properties?.attribute("break-after", in: fo).map { $0 == "page" })
                }
            }
        }
    }

    /// Whether a paragraph in style `name` starts and ends a page; a chain of parents is followed
    /// at most 16 steps (a cycle in a damaged file ends there).
    func breaks(of name: String) -> (before: Bool, after: Bool) {
        var before: Bool?, after: Bool?
        var current: String? = name
        for _ in 0..<16 {
            guard let key = current, let style = styles[key] else { break }
            before = before ?? style.breakBefore
            after = after ?? style.breakAfter
            current = style.parent
        }
        return (before ?? false, after ?? false)
    }
}
