import Foundation

/// `.html` and `.htm` files: the main content's text, laid out so the chunker sees the page's
/// structure, with its headings and link targets.
///
/// Three steps, each in its own file, with no dependency and no failure on bad markup:
/// 1. ``HTMLTree`` parses the page tolerantly (``HTMLTokenizer`` decodes entities with
///    ``HTMLEntities`` and skips scripts, styles and comments);
/// 2. ``HTMLMainContent`` keeps the main content and leaves out hidden parts and page furniture
///    (navigation, sidebars, page headers and footers, "¶" permalinks, link-dense blocks);
/// 3. ``HTMLTextLayout`` writes its text: blocks become paragraphs and lines, whitespace collapses
///    except in `<pre>`, and headings and `id`s get their offsets.
///
/// The title is the page's `<title>`, else its first `<h1>`.
/// ```swift
/// let page = HTMLLoader.extract(html: """
///     <title>Knots</title><nav>Home</nav>
///     <main><h2 id="bowline">Bowline</h2><p>A fixed loop.</p></main>
///     """)
/// // page.text == "Bowline\n\nA fixed loop.", page.title == "Knots",
/// // page.headings[0].anchor == "bowline", page.anchors == [TextAnchor(offset: 0, id: "bowline")]
/// ```
public enum HTMLLoader {
    /// Loads an HTML file.
    public static func load(_ file: URL, limits: FileSizeLimits = .current) throws -> LoadedDocument {
        let page = extract(html: try DocumentLoader.readText(file, limit: limits.textBytes))
        return LoadedDocument(path: file.path, format: .html, title: page.title, text: page.text,
                              headings: page.headings, anchors: page.anchors)
    }

    /// The main content's text, the title, the headings (offsets in code points of `text`) and the
    /// link targets (`id`s) where a block of `text` starts.
    public static func extract(html: String) -> (text: String, title: String?, headings: [Heading], anchors: [TextAnchor]) {
        let tree = HTMLTree(parsing: html)
        let layout = HTMLTextLayout(tree, HTMLMainContent(tree))
        let pageTitle = tree.title.map { $0.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ") }
        let title = pageTitle.flatMap { $0.isEmpty ? nil : $0 } ?? layout.headings.first { $0.level == 1 }?.title
        return (layout.text, title, layout.headings, layout.anchors)
    }

    /// The main content's text and the title of an HTML document.
    public static func visibleText(ofHTML html: String) -> (text: String, title: String?) {
        let page = extract(html: html)
        return (page.text, page.title)
    }
}
