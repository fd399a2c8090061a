/// A light, tolerant parse of an HTML page: elements and text nodes in one flat array, every
/// parent before its children (so one backward pass sums children into parents).
///
/// The tree construction follows the HTML spec's rules for the cases real pages hit
/// (https://html.spec.whatwg.org/multipage/parsing.html#tree-construction), and never fails:
/// - implied end tags: a block element closes an open `<p>`; `<li>`, `<dt>`/`<dd>`, `<tr>`,
///   `<td>`/`<th>`, `<thead>`/`<tbody>`/`<tfoot>`, `<option>` close their open sibling; a heading
///   closes an open heading; `<a>` closes an open `<a>`;
/// - void elements (`<br>`, `<img>`, …) and `<x/>` (XHTML) have no content;
/// - an end tag closes the nearest open element of its name and everything opened inside it, but
///   not across a table cell or table; a stray end tag is ignored; unclosed elements end with the page;
/// - a start tag or text that cannot be in `<head>` ends the head (a page without `<body>`);
/// - nesting deeper than ``maximumDepth`` is flattened, so a pathological page stays linear-time.
/// Raw-text elements (`<script>`, `<style>`, `<title>`, …) are read whole by ``HTMLTokenizer``.
/// Misnested formatting (`<b><i></b></i>`) is simply closed at the first end tag: no adoption
/// agency, which only matters for styling.
struct HTMLTree {
    struct Node {
        /// The lower-cased tag name; "" for a text node, "#document" for the root (node 0).
        var name: String
        var traits: HTMLElementTraits = []
        var attributes = HTMLAttributes()
        var parent: Int
        var firstChild = -1
        var lastChild = -1
        var nextSibling = -1
        /// For a text node: its decoded text, a range of ``HTMLTree/text``.
        var text: Range<Int> = 0..<0
        var isText: Bool { name.isEmpty }
    }

    private(set) var nodes: [Node] = [Node(name: "#document", parent: -1)]
    /// The characters of all text nodes.
    private(set) var text: [Unicode.Scalar] = []
    /// The text of the first `<title>`, as written (not yet collapsed).
    private(set) var title: String?

    /// Elements opened deeper than this become leaves (their content goes to the element above).
    static let maximumDepth = 512

    /// Open elements, innermost last.
    private var open: [Int] = []
    /// How many elements of each name are open: an implied or stray end tag whose element is not
    /// open costs one lookup instead of a scan of the whole stack.
    private var openCount: [String: Int] = [:]
    /// True right after `<pre>` or `<listing>`: a newline that follows is dropped.
    private var dropsLeadingNewline = false
    private var head = -1, body = -1

    /// Parses `html`.
    init(parsing html: String) {
        var tokenizer = HTMLTokenizer(html)
        nodes.reserveCapacity(html.utf8.count / 24)
        while let token = tokenizer.next() {
            switch token {
            case .text(let range): insertText(range, of: tokenizer.text)
            case .startTag(let name, let attributes, let selfClosing, let content):
                if name == "title", title == nil, let content {
                    title = String(String.UnicodeScalarView(tokenizer.text[content]))
                }
                insertElement(name, attributes, selfClosing: selfClosing, content: content,
                              startsWithNewline: content.map { !$0.isEmpty && tokenizer.text[$0.lowerBound] == "\n" } ?? false)
            case .endTag(let name): closeElement(name)
            }
        }
        text = tokenizer.text
    }

    private var current: Int { open.last ?? 0 }

    private var headIsOpen: Bool { head >= 0 && openCount["head", default: 0] > 0 }

    @discardableResult
    private mutating func append(_ node: Node) -> Int {
        let index = nodes.count
        let parent = node.parent
        nodes.append(node)
        if nodes[parent].lastChild >= 0 {
            nodes[nodes[parent].lastChild].nextSibling = index
        } else {
            nodes[parent].firstChild = index
        }
        nodes[parent].lastChild = index
        return index
    }

    private mutating func insertText(_ range: Range<Int>, of text: [Unicode.Scalar]) {
        var range = range
        if dropsLeadingNewline, text[range.lowerBound] == "\n" { range = range.dropFirst() }
        dropsLeadingNewline = false
        guard !range.isEmpty else { return }
        if headIsOpen, text[range].contains(where: { !isCollapsibleSpace($0) }) { closeElement("head") }
        append(Node(name: "", parent: current, text: range))
    }

    /// Inserts an element; `content` is the text of a `<title>` or `<textarea>`.
    private mutating func insertElement(_ name: String, _ attributes: HTMLAttributes, selfClosing: Bool,
                                        content: Range<Int>?, startsWithNewline: Bool = false) {
        dropsLeadingNewline = false
        let traits = HTMLElementTraits.of(name)
        switch name {
        case "html" where open.isEmpty: break
        case "html": return
        case "head" where head < 0 && body < 0: break
        case "head": return
        case "body" where body < 0:
            if headIsOpen { closeElement("head") }
        case "body": return
        default:
            if !traits.contains(.headContent) && headIsOpen { closeElement("head") }
            closeImpliedElements(before: name, traits)
        }
        let element = append(Node(name: name, traits: traits, attributes: attributes, parent: current))
        if name == "body" { body = element }
        if name == "head" { head = element }
        if let content {
            let range = name == "textarea" && startsWithNewline ? content.dropFirst() : content
            if !range.isEmpty { append(Node(name: "", parent: element, text: range)) }
            return
        }
        guard !selfClosing, !traits.contains(.void), open.count < Self.maximumDepth else { return }
        open.append(element)
        openCount[name, default: 0] += 1
        dropsLeadingNewline = name == "pre" || name == "listing"
    }

    /// Closes the open elements that a start tag `name` ends implicitly.
    private mutating func closeImpliedElements(before name: String, _ traits: HTMLElementTraits) {
        if traits.contains(.closesParagraph) { closeNearest(["p"], stoppingAt: .scopeBoundary) }
        switch name {
        case "li": closeNearest(["li"], stoppingAt: [.list, .table, .tableCell, .template, .body])
        case "dt", "dd": closeNearest(["dt", "dd"], stoppingAt: [.definitionList, .table, .tableCell, .template, .body])
        case "tr": closeNearest(["tr"], stoppingAt: [.table, .tableSection, .template])
        case "td", "th": closeNearest(["td", "th"], stoppingAt: [.tableRow, .table, .template])
        case "thead", "tbody", "tfoot": closeNearest(["thead", "tbody", "tfoot"], stoppingAt: [.table, .template])
        case "option", "optgroup":
            if nodes[current].name == "option" { closeOpenElements(from: open.count - 1) }
            if name == "optgroup", nodes[current].name == "optgroup" { closeOpenElements(from: open.count - 1) }
        case "a": closeNearest(["a"], stoppingAt: .scopeBoundary)
        default:
            if traits.contains(.heading) && nodes[current].traits.contains(.heading) { closeOpenElements(from: open.count - 1) }
        }
    }

    private mutating func closeElement(_ name: String) {
        dropsLeadingNewline = false
        switch name {
        case "html", "body": return  // what follows still belongs to the body, as in browsers
        case "br": insertElement("br", HTMLAttributes(), selfClosing: true, content: nil)  // </br> is <br>
        case "table": closeNearest([name], stoppingAt: [.template, .html])
        case "tbody", "thead", "tfoot", "tr", "td", "th": closeNearest([name], stoppingAt: [.table, .template, .html])
        case "li": closeNearest([name], stoppingAt: [.scopeBoundary, .list])
        case "dt", "dd": closeNearest([name], stoppingAt: [.scopeBoundary, .definitionList])
        default: closeNearest([name], stoppingAt: .scopeBoundary)
        }
    }

    /// Closes the innermost open element named in `names` and everything opened inside it, unless
    /// an element with one of the `boundaries` traits comes first.
    private mutating func closeNearest(_ names: [String], stoppingAt boundaries: HTMLElementTraits) {
        guard names.contains(where: { openCount[$0, default: 0] > 0 }) else { return }
        for position in open.indices.reversed() {
            let node = open[position]
            if names.contains(nodes[node].name) {
                closeOpenElements(from: position)
                return
            }
            if !nodes[node].traits.isDisjoint(with: boundaries) { return }
        }
    }

    /// Pops the open elements from `position` up.
    private mutating func closeOpenElements(from position: Int) {
        for node in open[position...] { openCount[nodes[node].name, default: 1] -= 1 }
        open.removeSubrange(position...)
    }
}

/// The attributes text extraction reads; the others are dropped while tokenizing.
struct HTMLAttributes {
    var id: String?
    /// `name`, for old-style `<a name="…">` link targets.
    var name: String?
    /// The `class` value as written (space-separated tokens).
    var classes: String?
    /// `role`, lower-cased (the first token when several are given).
    var role: String?
    var hasHref = false
    /// `href` starts with "#": a link within the page, like Sphinx's "¶" permalinks.
    var hrefIsFragment = false
    /// `hidden`, `aria-hidden="true"`, or an inline style with `display: none` or `visibility: hidden`.
    var isHidden = false

    /// The attributes ``set(_:to:)`` reads; the tokenizer decodes no other value.
    static let kept: Set<String> = ["id", "name", "class", "role", "style", "aria-hidden", "hidden", "href"]

    mutating func set(_ attribute: String, to value: String) {
        switch attribute {
        case "id": if !value.isEmpty { id = value }
        case "name": if !value.isEmpty { name = value }
        case "class": classes = value
        case "role": role = value.lowercased().split(separator: " ").first.map(String.init)
        case "aria-hidden": if value.lowercased() == "true" { isHidden = true }
        case "style":
            let style = value.lowercased().filter { !$0.isWhitespace }
            if style.contains("display:none") || style.contains("visibility:hidden") { isHidden = true }
        case "hidden": isHidden = true
        case "href":
            hasHref = true
            hrefIsFragment = value.hasPrefix("#")
        default: break
        }
    }
}
