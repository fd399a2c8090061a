import Foundation
import Testing
@testable import Ingest

/// The HTML loader keeps a page's main content and leaves out the furniture every page of a site
/// repeats; headings and link targets get offsets into the extracted text.
@Suite("HTML main content")
struct HTMLMainContentTests {
    /// A page shaped like Sphinx's classic theme (Python's docs): related-links bars above and
    /// below, a sidebar with a table of contents, "¶" permalinks, a copyright footer.
    static let sphinxPage = """
    <!DOCTYPE html>
    <html><head><title>lenses — Working with Fresnel lenses &#8212; Lighthouse 1.0 documentation</title>
    <script src="_static/doctools.js"></script></head>
    <body>
    <div class="related" role="navigation" aria-label="related navigation">
      <h3>Navigation</h3>
      <ul><li class="right"><a href="genindex.html">index</a></li>
        <li class="right"><a href="lamps.html">next</a> |</li>
        <li class="right"><a href="towers.html">previous</a> |</li>
        <li><a href="index.html">Lighthouse 1.0 documentation</a> &#187;</li></ul>
    </div>
    <div class="document"><div class="documentwrapper"><div class="bodywrapper">
    <div class="body" role="main">
    <section id="module-lenses">
    <span id="lenses-working-with-fresnel-lenses"></span><h1><code class="xref">lenses</code> — Working with Fresnel lenses<a class="headerlink" href="#module-lenses" title="Permalink to this heading">¶</a></h1>
    <p>This module computes the focal length of a lens from its order, as the
    <a class="reference internal" href="orders.html"><code>orders</code></a> table gives it.</p>
    <dl class="py function">
    <dt class="sig sig-object py" id="lenses.focal_length">
    <span class="sig-prename">lenses.</span><span class="sig-name">focal_length</span>(<em>order</em>)<a class="headerlink" href="#lenses.focal_length" title="Permalink to this definition">¶</a></dt>
    <dd><p>Return the focal length in millimetres of a lens of the given order.</p>
    <div class="highlight-python3 notranslate"><div class="highlight"><pre><span></span>&gt;&gt;&gt; focal_length(1)
    920
    </pre></div></div>
    </dd></dl>
    </section>
    </div></div></div>
    <div class="sphinxsidebar" role="navigation" aria-label="main navigation">
      <div class="sphinxsidebarwrapper">
        <h3><a href="contents.html">Table of Contents</a></h3>
        <ul><li><a href="#">lenses — Working with Fresnel lenses</a></li></ul>
        <h4>Previous topic</h4><p class="topless"><a href="towers.html">towers</a></p>
        <div role="search"><h3>Quick search</h3><form action="search.html"><input type="text" name="q"></form></div>
      </div>
    </div>
    </div>
    <div class="related" role="navigation"><h3>Navigation</h3>
      <ul><li><a href="lamps.html">next</a> |</li><li><a href="towers.html">previous</a> |</li></ul></div>
    <div class="footer">&copy; <a href="copyright.html">Copyright</a> 2024, The Lighthouse Board.
      <a href="bugs.html">Found a bug</a>?</div>
    </body></html>
    """

    @Test("a Sphinx page keeps its body and drops the sidebar, the related-links bars, the footer and the ¶ permalinks")
    func sphinxPage() {
        let page = HTMLLoader.extract(html: Self.sphinxPage)
        #expect(page.title == "lenses — Working with Fresnel lenses — Lighthouse 1.0 documentation")
        #expect(page.text.hasPrefix("lenses — Working with Fresnel lenses\n\nThis module computes the focal length"))
        #expect(page.text.contains("as the orders table gives it."))
        #expect(page.text.contains("lenses.focal_length(order)\n\nReturn the focal length in millimetres of a lens of the given order.\n\n>>> focal_length(1)\n920"))
        for furniture in ["Navigation", "previous", "next", "Table of Contents", "Previous topic", "Quick search",
                          "Copyright", "Found a bug", "¶", "index", "»"] {
            #expect(!page.text.contains(furniture), "\(furniture) leaked into: \(page.text)")
        }
    }

    /// A page built from HTML5 landmarks and ARIA roles.
    static let landmarkPage = """
    <html><head><title>Opening times</title></head><body>
    <a class="skip-link" href="#content">Skip to content</a>
    <header><div class="logo">Gannet Head Trust</div><nav><a href="/">Home</a> <a href="/visit">Visit</a></nav></header>
    <div role="banner">Banner text</div>
    <div role="search"><label>Search the site</label></div>
    <div id="content">
    <article>
    <header><h1>Opening times</h1><p class="byline">Updated March 2024</p></header>
    <p>The visitor centre is open daily from 10 am to 5 pm.</p>
    <aside class="pull-quote"><p>Last tower climb at 4:15 pm.</p></aside>
    <footer><p>Filed under visiting.</p></footer>
    </article>
    <aside><h2>Elsewhere</h2><p>Other lighthouses to visit.</p></aside>
    <div role="complementary">Sponsored by the harbour</div>
    <p hidden>Secret hidden paragraph.</p>
    <p aria-hidden="true">Decorative text.</p>
    <p style="display: none">Invisible text.</p>
    </div>
    <form action="/subscribe"><p>Subscribe to the newsletter</p><input type="email"></form>
    <footer><p>&copy; 2024 Gannet Head Trust</p></footer>
    <div role="contentinfo">Charity SC041877</div>
    </body></html>
    """

    @Test("the page's only <article> is its content, with the article's own header, footer and aside")
    func article() {
        let page = HTMLLoader.extract(html: Self.landmarkPage)
        #expect(page.text == """
        Opening times

        Updated March 2024

        The visitor centre is open daily from 10 am to 5 pm.

        Last tower climb at 4:15 pm.

        Filed under visiting.
        """)
    }

    @Test("without main, role=main or a single article, the body is the content: page-level nav, header, footer, aside, forms, hidden elements and landmark roles are dropped")
    func landmarks() {
        let html = Self.landmarkPage.replacingOccurrences(of: "<article>", with: "<div>")
            .replacingOccurrences(of: "</article>", with: "</div>")
        let page = HTMLLoader.extract(html: html)
        // Outside an article, the header with the h1 is page furniture; the title comes from <title>.
        #expect(page.text == "The visitor centre is open daily from 10 am to 5 pm.")
        #expect(page.title == "Opening times")
    }

    /// A blog post in <main>, with a link-dense "related posts" list and tag line inside <main>.
    static let blogPage = """
    <html><head><title>Winding the clockwork | Keeper's Log</title></head><body>
    <div class="site-header"><a href="/">Keeper's Log</a></div>
    <div class="layout has-sidebar">
    <main>
    <h1>Winding the clockwork</h1>
    <p>The rotation machine had to be wound every forty minutes, as the
    <a href="/handbook">handbook</a> says, the <a href="/log">log</a> confirms and the
    <a href="/keepers">keepers</a> remember.</p>
    <p class="tags"><a href="/t/a">clockwork</a> <a href="/t/b">lamps</a> <a href="/t/c">keepers</a></p>
    <div class="related-reading">
    <h3>You might also like</h3>
    <ul>
    <li><a href="/p/1">Trimming the wicks before dusk</a></li>
    <li><a href="/p/2">A winter on the Marrow Rock</a></li>
    <li><a href="/p/3">How the sun valve changed everything</a></li>
    </ul>
    </div>
    <ul class="plain">
    <li><a href="/p/4">Fog signals of the northern isles</a></li>
    <li><a href="/p/5">The last keepers of Sula Beg</a></li>
    <li><a href="/p/6">Colza oil and its replacements</a></li>
    </ul>
    </main>
    <div class="sidebar"><p>About the author</p></div>
    </div>
    </body></html>
    """

    @Test("a blog page keeps <main> and drops its link-dense lists, but not prose that cites three links")
    func blogPage() {
        let page = HTMLLoader.extract(html: Self.blogPage)
        #expect(page.text == """
        Winding the clockwork

        The rotation machine had to be wound every forty minutes, as the handbook says, the log confirms and the keepers remember.
        """)
        #expect(page.title == "Winding the clockwork | Keeper's Log")
    }

    @Test("a wrapper whose class only contains a furniture word (has-sidebar) is not dropped when it holds the page's text")
    func wrapperClass() {
        let html = "<body><div class='page has-sidebar'><h1>Tides</h1><p>High water at Port Ellery is at noon today.</p></div><div class='sidebar-widget'>Archive</div></body>"
        let page = HTMLLoader.extract(html: html)
        #expect(page.text == "Tides\n\nHigh water at Port Ellery is at noon today.")
    }

    @Test("a <pre> code block keeps its line breaks and indentation exactly")
    func codeBlock() {
        let html = """
        <main><p>Example:</p><pre>
            indented first line
        def flashes(period):
            for t in range(period):
                yield t &lt; 1   # on

        print(list(flashes(15)))
        </pre><p>After.</p></main>
        """
        let page = HTMLLoader.extract(html: html)
        #expect(page.text == """
        Example:

            indented first line
        def flashes(period):
            for t in range(period):
                yield t < 1   # on

        print(list(flashes(15)))

        After.
        """)
    }

    @Test("headings give the heading list: offset where the line starts, level, title, and anchor")
    func headings() throws {
        let html = """
        <main>
        <h1 id="top">Lenses &amp; optics</h1>
        <p>Intro.</p>
        <section id="orders"><h2>Orders of lens<a class="headerlink" href="#orders">¶</a></h2><p>Six orders.</p>
        <div class="section" id="first-order"><h3>First   order</h3><p>920 mm.</p></div>
        </section>
        <h3><a name="catadioptric"></a>Catadioptric panels</h3>
        <h4>No anchor</h4>
        </main>
        """
        let page = HTMLLoader.extract(html: html)
        let text = Array(page.text.unicodeScalars)
        #expect(page.headings.map(\.title) == ["Lenses & optics", "Orders of lens", "First order", "Catadioptric panels", "No anchor"])
        #expect(page.headings.map(\.level) == [1, 2, 3, 3, 4])
        #expect(page.headings.map(\.anchor) == ["top", "orders", "first-order", "catadioptric", nil])
        for heading in page.headings {
            let line = String(String.UnicodeScalarView(text[heading.offset...].prefix { $0 != "\n" }))
            #expect(line == heading.title)
            #expect(heading.offset == 0 || text[heading.offset - 1] == "\n")
        }
        #expect(page.title == "Lenses & optics")
        #expect(page.anchors.map(\.id) == ["top", "orders", "first-order", "catadioptric"])
        #expect(page.anchors.map(\.offset) == page.headings.prefix(4).map(\.offset))
    }

    @Test("a Sphinx API entry <dt id> is an anchor at the start of its signature; mid-sentence targets are not")
    func definitionAnchor() throws {
        let page = HTMLLoader.extract(html: Self.sphinxPage)
        let anchor = try #require(page.anchors.first { $0.id == "lenses.focal_length" })
        let text = Array(page.text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(text[anchor.offset...].prefix(20))) == "lenses.focal_length(")
        // The section and the span before the h1 share offset 0: the heading's anchor wins.
        #expect(page.anchors.first == TextAnchor(offset: 0, id: "module-lenses"))
        #expect(page.headings.first?.anchor == "module-lenses")

        let inline = HTMLLoader.extract(html: "<p>See <span id='mid'>this</span> note.</p><span id='before'></span><p>Next block.</p>")
        #expect(inline.anchors == [TextAnchor(offset: 16, id: "before")])
        #expect(inline.text == "See this note.\n\nNext block.")
    }

    @Test("implied end tags: a block closes an open p; li, dt/dd, tr and td close their open sibling")
    func impliedEndTags() {
        let html = "<p>one<p>two<ul><li>a<li>b</ul><dl><dt>term<dd>definition</dl><table><tr><td>1<td>2<tr><td>3<td>4</table>"
        #expect(HTMLLoader.extract(html: html).text == "one\n\ntwo\n\na\nb\n\nterm\ndefinition\n\n1 | 2\n3 | 4")
    }

    @Test("a table row is one line with its cells separated, paragraphs inside cells included")
    func tableRows() {
        let html = """
        <p>Containers:</p>
        <table><thead><tr><th><p>name</p></th><th><p>what it is</p></th></tr></thead>
        <tbody><tr><td><p><a href="#deque"><code>deque</code></a></p></td>
        <td><p>list-like container with fast appends</p><p>and pops on either end</p></td></tr>
        <tr><td><p><code>Counter</code></p></td><td></td></tr></tbody></table>
        <p>After.</p>
        """
        #expect(HTMLLoader.extract(html: html).text == """
        Containers:

        name | what it is
        deque | list-like container with fast appends and pops on either end
        Counter

        After.
        """)
    }

    @Test("broken markup never fails", arguments: [
        ("", ""),
        ("<", "<"),
        ("&", "&"),
        ("</", "</"),
        ("a < b and c<3", "a < b and c<3"),
        ("<p>unterminated <b", "unterminated"),
        ("<p>stray</div></span> closers</p>", "stray closers"),
        ("<!-- never closed <p>hidden", ""),
        ("<p>x</p><![CDATA[ hidden ]]><p>y</p>", "x\n\ny"),
        ("<script>never closed <p>hidden", ""),
        ("<title>Only a title", ""),
        ("<div><div><div><p>deep", "deep"),
        ("<b><i>misnested</b> text</i>", "misnested text"),
        ("<table><td>cell<td>cell</table>", "cell | cell"),
        ("<p title='a > b' class=\"x>y\">attributes</p>", "attributes"),
        ("<br/><hr/><img src=x alt=y>void<br>", "void"),
        ("<pre>\r\nline one\r\nline two\r</pre>", "line one\nline two"),
        ("<p>&#0;&#xD800;&#99999999;&bogus;</p>", "\u{FFFD}\u{FFFD}\u{FFFD}&bogus;"),
        ("<a id=x/>text", "text"),
        ("<textarea>\n<b>not a tag</b></textarea>", "<b>not a tag</b>"),
    ])
    func brokenMarkup(html: String, expected: String) {
        let page = HTMLLoader.extract(html: html)
        #expect(page.text == expected)
        let count = page.text.unicodeScalars.count
        #expect(page.headings.allSatisfy { $0.offset <= count } && page.anchors.allSatisfy { $0.offset < count })
    }

    @Test("pathological nesting stays linear and never fails")
    func deepNesting() {
        let html = String(repeating: "<div><span>", count: 20_000) + "bottom" + String(repeating: "</i>", count: 20_000)
        #expect(HTMLLoader.extract(html: html).text == "bottom")
    }
}
