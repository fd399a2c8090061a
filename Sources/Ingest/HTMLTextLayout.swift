/// Lays out the kept part of a page as text the chunker can cut well, the way a browser would
/// render it as plain text, and notes where headings and link targets (`id`s) start.
///
/// - Block elements (p, h1–h6, section, table, lists, …: ``HTMLElementTraits/paragraph``) end a
///   paragraph (a blank line); line-level ones (div, li, tr, dt, dd, …: ``HTMLElementTraits/line``)
///   end a line; `<br>` ends a line. A table row is one line, its cells separated by " | ", and
///   blocks inside a cell (Sphinx wraps every cell in a `<p>`) break nothing: the row "deque |
///   list-like container with fast appends and pops on either end" keeps a name with what it
///   describes, for the encoder, for BM25 and for a quoted answer.
/// - Whitespace collapses as a browser renders it (the no-break space too), except inside `<pre>`,
///   `<listing>` and `<textarea>`, whose text is kept exactly, indentation and line breaks included.
/// - Offsets are in Unicode code points (scalars) of the text, as ``LoadedDocument`` wants.
struct HTMLTextLayout {
    private(set) var output: [Unicode.Scalar] = []
    /// ``output`` as a string.
    var text: String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(output.count + output.count / 8)
        for scalar in output {
            if scalar.isASCII { utf8.append(UInt8(scalar.value)) } else { UTF8.encode(scalar) { utf8.append($0) } }
        }
        return String(decoding: utf8, as: UTF8.self)
    }
    private(set) var headings: [Heading] = []
    /// 0 none, 1 line break, 2 paragraph break: written before the next visible character.
    private var pendingBreak = 0
    private var pendingSpace = false
    /// A cell ended: " | " before the next character, unless a line break comes first.
    private var pendingCellSeparator = false
    private var preformatted = 0
    /// Table cells open around the current node.
    private var cellDepth = 0

    /// A place waiting for its offset: the next character written.
    private struct Marker {
        var node: Int
        var id: String?
        var depth: Int
        var offset: Int?
    }
    private var markers: [Marker] = []
    private var unresolved: [Int] = []
    /// The open elements being laid out, with their marker when they have an id.
    private var path: [(node: Int, marker: Int?)] = []

    /// Lays out `content` of `tree`.
    init(_ tree: HTMLTree, _ content: HTMLMainContent) {
        let nodes = tree.nodes
        enter(content.root, nodes[content.root])
        var next = nodes[content.root].firstChild
        while !path.isEmpty {
            if next >= 0 {
                let node = nodes[next]
                if node.isText {
                    for scalar in tree.text[node.text] { write(scalar) }
                } else if !content.isExcluded(next) {
                    enter(next, node)
                    next = node.firstChild
                    continue
                }
                next = node.nextSibling
            } else {
                let (index, marker) = path.removeLast()
                exit(index, nodes[index], marker: marker, tree: tree)
                next = path.isEmpty ? -1 : nodes[index].nextSibling
            }
        }
        while let last = output.last, isCollapsibleSpace(last) { output.removeLast() }
    }

    /// The targets of in-page links, one per offset: where a heading starts, the heading's anchor;
    /// elsewhere the innermost element (the last one opened) starting there. Only ids whose text
    /// starts a line count: a target in mid-sentence is no place to cite.
    var anchors: [TextAnchor] {
        var headingAnchors: [Int: String] = [:]
        for heading in headings { if let anchor = heading.anchor { headingAnchors[heading.offset] = anchor } }
        var anchors: [(offset: Int, id: String, depth: Int)] = []
        for marker in markers {
            // An offset past the end can only come from trailing whitespace trimmed away.
            guard let id = marker.id, let offset = marker.offset, offset < output.count,
                  offset == 0 || output[offset - 1] == "\n" else { continue }
            if let last = anchors.last, last.offset == offset {
                if marker.depth >= last.depth { anchors[anchors.count - 1] = (offset, id, marker.depth) }
            } else {
                anchors.append((offset, id, marker.depth))
            }
        }
        var result = anchors.map { TextAnchor(offset: $0.offset, id: headingAnchors.removeValue(forKey: $0.offset) ?? $0.id) }
        if !headingAnchors.isEmpty {  // a heading named by an empty <a name> at its end
            result += headingAnchors.map { TextAnchor(offset: $0.key, id: $0.value) }
            result.sort { $0.offset < $1.offset }
        }
        return result
    }

    private mutating func enter(_ index: Int, _ node: HTMLTree.Node) {
        let name = node.name
        var marker: Int? = nil
        // An id on <html> or <body> names the top of the page, not a place in it.
        let id = name == "html" || name == "body" ? nil : node.attributes.id ?? (name == "a" ? node.attributes.name : nil)
        let isHeading = node.traits.contains(.heading)
        // Targets inside code are line numbers and the like, not places to cite.
        if (id != nil && preformatted == 0) || isHeading {
            marker = markers.count
            markers.append(Marker(node: index, id: preformatted == 0 ? id : nil, depth: path.count))
            unresolved.append(marker!)
        }
        path.append((index, marker))
        switch name {
        case "br": pendingBreak = min(2, pendingBreak + 1)
        case "td", "th": cellDepth += 1
        case "tr": pendingCellSeparator = false
        default: break
        }
        if node.traits.contains(.preformatted) { preformatted += 1 }
        requestBlockBreak(node.traits)
    }

    private mutating func exit(_ index: Int, _ node: HTMLTree.Node, marker: Int?, tree: HTMLTree) {
        let name = node.name
        if name == "td" || name == "th" {
            cellDepth = max(0, cellDepth - 1)
            if cellDepth == 0 { pendingCellSeparator = true }
        }
        if node.traits.contains(.preformatted) { preformatted = max(0, preformatted - 1) }
        requestBlockBreak(node.traits)
        guard node.traits.contains(.heading), let marker else { return }
        guard let start = markers[marker].offset, start <= output.count else {
            // An empty heading: with an id it is a target for what follows, like an empty <span id>.
            if markers[marker].id == nil { unresolved.removeAll { $0 == marker } }
            return
        }
        let title = String(String.UnicodeScalarView(output[start...]))
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        guard !title.isEmpty, let level = Int(String(name.dropFirst())) else { return }
        headings.append(Heading(offset: start, level: level, title: title, anchor: headingAnchor(marker, start: start)))
    }

    /// The heading's own id; else the id of the innermost enclosing element that it opens (no
    /// text of it comes before the heading), as Sphinx's `<section id>` and DocBook's `<div id>`;
    /// else the first `<a id|name>` (or other target) inside it.
    private func headingAnchor(_ marker: Int, start: Int) -> String? {
        if let id = markers[marker].id { return id }
        for (node, enclosing) in path.reversed() {
            guard let enclosing, node != markers[marker].node, let offset = markers[enclosing].offset else { continue }
            if offset < start { break }
            if let id = markers[enclosing].id { return id }
        }
        return markers[(marker + 1)...].first { $0.id != nil }?.id
    }

    private mutating func requestBlockBreak(_ traits: HTMLElementTraits) {
        if cellDepth > 0 && !traits.contains(.table) && preformatted == 0 {
            if traits.contains(.paragraph) || traits.contains(.line) { pendingSpace = true }
            return
        }
        if traits.contains(.paragraph) { pendingBreak = 2 }
        else if traits.contains(.line) { pendingBreak = max(pendingBreak, 1) }
    }

    /// Writes one character of text, collapsing whitespace and placing pending breaks.
    private mutating func write(_ scalar: Unicode.Scalar) {
        if preformatted == 0 && isCollapsibleSpace(scalar) {
            pendingSpace = true
            return
        }
        if pendingBreak > 0 {
            while let last = output.last, last == " " || last == "\t" { output.removeLast() }
            if !output.isEmpty {
                var newlines = 0
                while newlines < pendingBreak, output.count > newlines, output[output.count - 1 - newlines] == "\n" {
                    newlines += 1  // a <pre> that ended with a line break has written some already
                }
                for _ in newlines..<pendingBreak { output.append("\n") }
            }
        } else if pendingCellSeparator, let last = output.last, last != "\n" {
            while let last = output.last, last == " " || last == "\t" { output.removeLast() }
            output.append(contentsOf: [" ", "|", " "])
        } else if pendingSpace, let last = output.last, last != "\n", last != " " {
            output.append(" ")
        }
        pendingBreak = 0
        pendingSpace = false
        pendingCellSeparator = false
        if scalar != "\n" && !unresolved.isEmpty {
            for marker in unresolved { markers[marker].offset = output.count }
            unresolved.removeAll(keepingCapacity: true)
        }
        output.append(scalar)
    }
}
