/// The part of a parsed page that its reader came for: the main content, without the furniture
/// that every page of a site repeats (navigation, sidebars, headers and footers, permalinks).
///
/// 1. Hidden subtrees are left out: elements with ``HTMLElementTraits/hidden``, `hidden`,
///    `aria-hidden="true"`, inline `display: none`.
/// 2. The root is `<main>`, else the first `role="main"`, else the page's only `<article>`, else
///    `<body>`; one without text is passed over.
/// 3. Within the root, furniture is left out: `<nav>`; `<form>` (unless it holds a heading:
///    ASP.NET wraps whole pages in one); page-level `<header>`, `<footer>` and `<aside>` as HTML-AAM
///    maps them to landmarks (https://www.w3.org/TR/html-aam-1.0/#el-header, #el-aside); the
///    ARIA roles, classes and ids in ``HTMLFurniture``. A class matched only through a compound
///    (`has-sidebar`) does not remove a block holding half the page's text: that is a wrapper.
/// 4. Then link-dense blocks: a list, table, `<div>` or `<p>` with at least 3 links whose link
///    text is at least 70% of its text (see ``isLinkDense(_:)``), unless it holds a `<pre>`, or
///    is a `<p>` that ends a sentence outside a link: "This function can support <a>specifying a
///    file descriptor</a>, <a>paths relative to directory descriptors</a> and <a>not following
///    symlinks</a>." is prose; "Prev | Up | Next" and "[1][2][3]" are not.
/// If a step leaves no text at all, it is undone: a page is never emptied by guesswork.
struct HTMLMainContent {
    enum Exclusion { case hidden, furniture, linkDense }

    /// The element whose subtree is the content.
    private(set) var root = 0
    /// Why a subtree is left out, on the subtree's top node (nil elsewhere).
    private(set) var exclusions: [Exclusion?]

    /// Visible characters (whitespace not counted) of a subtree, and how many are link text.
    struct TextStats {
        var characters = 0
        var linkCharacters = 0
        var links = 0
        var holdsPre = false
        var holdsHeading = false
        /// Whether the text ends a sentence (".", "!", "?") outside a link; nil without text.
        var endsSentence: Bool?
    }

    private let tree: HTMLTree
    /// Per node, what encloses it: ``sectioned`` | ``inMain`` | ``inLink`` | ``inCode``.
    private var context: [UInt8]
    /// Per node: it or an ancestor is excluded.
    private var removed: [Bool]
    private var stats: [TextStats]
    /// Inside article, aside, nav or section (HTML's sectioning content).
    private static let sectioned: UInt8 = 1
    private static let inMain: UInt8 = 2
    private static let inLink: UInt8 = 4
    private static let inCode: UInt8 = 8

    init(_ tree: HTMLTree) {
        self.tree = tree
        let count = tree.nodes.count
        exclusions = Array(repeating: nil, count: count)
        context = Array(repeating: 0, count: count)
        removed = Array(repeating: false, count: count)
        stats = Array(repeating: TextStats(), count: count)
        markHidden()
        computeStats(in: 0..<count)
        root = chooseRoot()
        let subtree = root..<subtreeEnd(root)
        let (hiddenOnly, statsWithFurniture) = (exclusions, stats)
        markFurniture(in: subtree, wrapperCharacters: stats[root].characters / 2)
        computeStats(in: subtree)
        if stats[root].characters == 0 {
            (exclusions, stats) = (hiddenOnly, statsWithFurniture)
            return
        }
        let withoutLinkDensity = exclusions
        if markLinkDenseBlocks(in: subtree) >= stats[root].characters { exclusions = withoutLinkDensity }
    }

    func isExcluded(_ node: Int) -> Bool { exclusions[node] != nil }

    /// Link text ≥ 70% of the text, with 3 links or more. Link text set in code (`<a><code>`) does
    /// not count: that is a cross-reference to an API name inside prose, as Sphinx, rustdoc and
    /// javadoc write every one, not navigation; counting it dropped real sentences of the Python
    /// reference ("Subclasses are BrokenPipeError, ConnectionAbortedError, …") and its lists of
    /// flags. Navigation lists, tables of contents and "related posts" run at 85–100%.
    func isLinkDense(_ node: Int) -> Bool {
        let node = stats[node]
        return node.links >= 3 && node.linkCharacters * 10 >= node.characters * 7
    }

    private mutating func markHidden() {
        for index in 1..<tree.nodes.count {
            // Fields are read one by one: copying a whole node retains its strings.
            let parent = tree.nodes[index].parent, traits = tree.nodes[index].traits
            var enclosing = context[parent]
            removed[index] = removed[parent]
            guard !tree.nodes[index].isText else { context[index] = enclosing; continue }
            if traits.contains(.sectioning) { enclosing |= Self.sectioned }
            if traits.contains(.main) { enclosing |= Self.inMain }
            if traits.contains(.anchor) && tree.nodes[index].attributes.hasHref { enclosing |= Self.inLink }
            if traits.contains(.code) { enclosing |= Self.inCode }
            context[index] = enclosing
            if !removed[index] && (tree.nodes[index].attributes.isHidden || traits.contains(.hidden)) {
                exclusions[index] = .hidden
                removed[index] = true
            }
        }
    }

    /// Sums text statistics bottom-up over `range` (a subtree, or the whole tree), leaving out
    /// removed nodes. Children have higher indices than parents, so one backward pass does it.
    private mutating func computeStats(in range: Range<Int>) {
        for index in range { stats[index] = TextStats() }
        for index in range.reversed() where !removed[index] {
            let parent = tree.nodes[index].parent, traits = tree.nodes[index].traits
            if tree.nodes[index].isText {
                let text = tree.nodes[index].text
                var characters = 0
                for scalar in tree.text[text] where !isCollapsibleSpace(scalar) { characters += 1 }
                stats[index].characters = characters
                if context[index] & (Self.inLink | Self.inCode) == Self.inLink { stats[index].linkCharacters = characters }
                if characters > 0 { stats[index].endsSentence = context[index] & Self.inLink == 0 && endsSentence(text) }
            } else if traits.contains(.anchor) {
                if tree.nodes[index].attributes.hasHref && stats[index].characters > 0 { stats[index].links += 1 }
            } else if traits.contains(.pre) {
                stats[index].holdsPre = true
            } else if traits.contains(.heading) {
                stats[index].holdsHeading = true
            }
            guard index > range.lowerBound else { continue }
            let child = stats[index]
            stats[parent].characters += child.characters
            stats[parent].linkCharacters += child.linkCharacters
            stats[parent].links += child.links
            stats[parent].holdsPre = stats[parent].holdsPre || child.holdsPre
            stats[parent].holdsHeading = stats[parent].holdsHeading || child.holdsHeading
            // Children are visited last first, so the first one with text holds the parent's end.
            if stats[parent].endsSentence == nil { stats[parent].endsSentence = child.endsSentence }
        }
    }

    /// Whether `range` of the text ends with sentence punctuation (closing brackets and quotes aside).
    private func endsSentence(_ range: Range<Int>) -> Bool {
        for scalar in tree.text[range].reversed() where !isCollapsibleSpace(scalar) {
            if ")]\"'”’»".unicodeScalars.contains(scalar) { continue }
            return ".!?。".unicodeScalars.contains(scalar)
        }
        return false
    }

    private func chooseRoot() -> Int {
        let elements = tree.nodes.indices.dropFirst().filter {
            !tree.nodes[$0].isText && !removed[$0] && stats[$0].characters > 0
        }
        if let main = elements.first(where: { tree.nodes[$0].traits.contains(.main) }) { return main }
        if let main = elements.first(where: { tree.nodes[$0].attributes.role == "main" }) { return main }
        let articles = elements.filter { tree.nodes[$0].name == "article" }
        if articles.count == 1 { return articles[0] }
        return elements.first(where: { tree.nodes[$0].traits.contains(.body) }) ?? 0
    }

    /// The index after the last descendant of `node` (descendants are contiguous after it).
    private func subtreeEnd(_ node: Int) -> Int {
        var end = node + 1
        while end < tree.nodes.count, tree.nodes[end].parent >= node { end += 1 }
        return end
    }

    private mutating func markFurniture(in subtree: Range<Int>, wrapperCharacters: Int) {
        var classMatches: [String: (reach: HTMLFurniture.Reach, compoundOnly: Bool)?] = [:]  // pages repeat a few class lists
        for index in subtree.dropFirst() {
            removed[index] = removed[index] || removed[tree.nodes[index].parent]
            guard !tree.nodes[index].isText, !removed[index] else { continue }
            if isFurniture(index, wrapperCharacters: wrapperCharacters, classMatches: &classMatches) {
                exclusions[index] = .furniture
                removed[index] = true
            }
        }
    }

    private func isFurniture(_ index: Int, wrapperCharacters: Int,
                             classMatches: inout [String: (reach: HTMLFurniture.Reach, compoundOnly: Bool)?]) -> Bool {
        let node = tree.nodes[index], attributes = node.attributes
        let sectioned = context[node.parent] & Self.sectioned != 0
        switch node.name {
        case "nav": return true
        case "form": if !stats[index].holdsHeading { return true }
        case "header", "footer": if !sectioned && context[node.parent] & Self.inMain == 0 { return true }
        case "aside": if !sectioned { return true }
        case "a": if attributes.hrefIsFragment && isPermalinkSymbol(index) { return true }
        default: break
        }
        if let role = attributes.role, HTMLFurniture.roles.contains(role) { return true }
        if let classes = attributes.classes {
            if classMatches[classes] == nil { classMatches[classes] = .some(HTMLFurniture.match(classes: classes)) }
            if let (reach, compoundOnly) = classMatches[classes] ?? nil, reach == .anywhere || !sectioned,
               !compoundOnly || stats[index].characters <= wrapperCharacters {
                return true
            }
        }
        if let id = attributes.id, HTMLFurniture.idElements.contains(node.name),
           let reach = HTMLFurniture.ids[id.lowercased()], reach == .anywhere || !sectioned {
            return true
        }
        return false
    }

    /// Marks the outermost link-dense blocks; returns how many characters they hold.
    private mutating func markLinkDenseBlocks(in subtree: Range<Int>) -> Int {
        var characters = 0
        for index in subtree.dropFirst() {
            removed[index] = removed[index] || removed[tree.nodes[index].parent]
            guard !tree.nodes[index].isText, !removed[index], tree.nodes[index].traits.contains(.linkDensityBlock),
                  !stats[index].holdsPre, isLinkDense(index),
                  tree.nodes[index].name != "p" || stats[index].endsSentence != true else { continue }
            exclusions[index] = .linkDense
            removed[index] = true
            characters += stats[index].characters
        }
        return characters
    }

    /// An in-page link whose whole text is a permalink sign ("¶", "#", "§", "🔗").
    private func isPermalinkSymbol(_ node: Int) -> Bool {
        let child = tree.nodes[node].firstChild
        guard child >= 0, tree.nodes[child].isText, tree.nodes[child].nextSibling < 0 else { return false }
        let visible = tree.text[tree.nodes[child].text].filter { !isCollapsibleSpace($0) }
        return visible.count == 1 && ["¶", "#", "§", "🔗"].contains(visible[0])
    }
}

/// The whitespace that HTML collapses, and the no-break space, which Trove collapses too.
func isCollapsibleSpace(_ scalar: Unicode.Scalar) -> Bool {
    scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" || scalar == "\u{0C}" || scalar == "\u{A0}"
}
