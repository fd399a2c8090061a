/// What each HTML element is, as far as parsing, choosing content and layout care: one table,
/// looked up once per element, so that the rules test bits instead of hashing names.
struct HTMLElementTraits: OptionSet, Sendable {
    let rawValue: UInt32

    /// Never has content (`<br>`, `<img>`, …).
    static let void = Self(rawValue: 1 << 0)
    /// Its start tag closes an open `<p>`.
    static let closesParagraph = Self(rawValue: 1 << 1)
    static let heading = Self(rawValue: 1 << 2)
    /// May stand in `<head>`; anything else ends the head.
    static let headContent = Self(rawValue: 1 << 3)
    /// Its content is never page text: hidden, interactive or embedded.
    static let hidden = Self(rawValue: 1 << 4)
    /// Starts and ends a paragraph of the laid-out text.
    static let paragraph = Self(rawValue: 1 << 5)
    /// Starts and ends a line of the laid-out text.
    static let line = Self(rawValue: 1 << 6)
    /// Keeps its whitespace.
    static let preformatted = Self(rawValue: 1 << 7)
    /// A block judged by its link density.
    static let linkDensityBlock = Self(rawValue: 1 << 8)
    /// Sectioning content: inside it, a header, footer or aside belongs to the section.
    static let sectioning = Self(rawValue: 1 << 9)
    /// End tags do not close elements across it (the spec's "has an element in scope").
    static let scopeBoundary = Self(rawValue: 1 << 10)
    static let list = Self(rawValue: 1 << 11)
    static let definitionList = Self(rawValue: 1 << 12)
    static let table = Self(rawValue: 1 << 13)
    static let tableSection = Self(rawValue: 1 << 14)
    static let tableRow = Self(rawValue: 1 << 15)
    static let tableCell = Self(rawValue: 1 << 16)
    static let template = Self(rawValue: 1 << 17)
    static let body = Self(rawValue: 1 << 18)
    static let html = Self(rawValue: 1 << 19)
    static let main = Self(rawValue: 1 << 20)
    /// `<a>`: a link when it has an href.
    static let anchor = Self(rawValue: 1 << 21)
    /// Code set inline: link text in it is a cross-reference, not navigation.
    static let code = Self(rawValue: 1 << 22)
    static let pre = Self(rawValue: 1 << 23)

    /// The traits of element `name` (lower-cased); none for an unknown (custom) element.
    static func of(_ name: String) -> Self { byName[name] ?? [] }

    private static let byName: [String: Self] = {
        var table: [String: Self] = [:]
        func add(_ traits: Self, _ names: [String]) { for name in names { table[name, default: []].insert(traits) } }
        add(.void, ["area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img",
                    "image", "input", "keygen", "link", "meta", "param", "source", "track", "wbr"])
        add(.closesParagraph, ["address", "article", "aside", "blockquote", "center", "details", "dialog",
                               "dir", "div", "dl", "fieldset", "figcaption", "figure", "footer", "form",
                               "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "dd",
                               "dt", "listing", "main", "menu", "nav", "ol", "p", "pre", "section",
                               "summary", "table", "ul"])
        add(.heading, ["h1", "h2", "h3", "h4", "h5", "h6"])
        add(.headContent, ["title", "meta", "link", "script", "style", "base", "noscript", "template",
                           "basefont", "bgsound"])
        add(.hidden, ["head", "title", "script", "style", "template", "noscript", "svg", "iframe", "object",
                      "embed", "canvas", "audio", "video", "map", "button", "select", "datalist",
                      "noembed", "noframes", "xmp"])
        add(.paragraph, ["p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "listing",
                         "section", "article", "header", "footer", "nav", "aside", "main", "table",
                         "ul", "ol", "dl", "figure", "hr", "form", "fieldset", "details", "address",
                         "body", "html", "hgroup", "dialog", "menu", "textarea"])
        add(.line, ["div", "li", "tr", "dt", "dd", "figcaption", "caption", "summary", "thead", "tbody",
                    "tfoot", "legend", "option", "label", "center"])
        add(.preformatted, ["pre", "listing", "textarea", "plaintext"])
        add(.linkDensityBlock, ["ul", "ol", "dl", "menu", "table", "div", "p"])
        add(.sectioning, ["article", "aside", "nav", "section"])
        add(.scopeBoundary, ["table", "td", "th", "caption", "template", "html", "applet", "marquee",
                             "object", "button"])
        add(.list, ["ul", "ol", "menu"])
        add(.definitionList, ["dl"])
        add(.table, ["table"])
        add(.tableSection, ["thead", "tbody", "tfoot"])
        add(.tableRow, ["tr"])
        add(.tableCell, ["td", "th"])
        add(.template, ["template"])
        add(.body, ["body"])
        add(.html, ["html"])
        add(.main, ["main"])
        add(.anchor, ["a"])
        add(.code, ["code", "tt", "kbd", "samp"])
        add(.pre, ["pre"])
        return table
    }()
}
