import Foundation
import Testing
import TroveTestSupport
@testable import Ingest

@Suite("HTML visible text")
struct HTMLVisibleTextTests {
    static let page = """
    <!DOCTYPE html>
    <html><head><title>Visiting  the &amp; Light</title>
    <style>body { color: red; } .secret { display: none }</style>
    <script>var hidden = "<p>not text</p>"; if (a < b) alert(1);</script>
    <meta charset="utf-8"></head>
    <body>
    <!-- a comment that must vanish -->
    <noscript>Enable JavaScript</noscript>
    <template><p>template text</p></template>
    <h1>Cape  Lumen</h1>
    <p>Open <b>daily</b> from 10&nbsp;am &ndash; 4 pm. Tickets &pound;5 &#8212; caf&eacute; &#x1F5FC; &unknown; a &lt; b.</p>
    <ul><li>Tower: 46 m</li><li>Range: 24 nautical miles</li></ul>
    <table><tr><td>1874</td><td>lit</td></tr><tr><td>1998</td><td>automated</td></tr></table>
    <p title="a > b">Line<br>break</p>
    <pre>  keep   spacing
    here</pre>
    <SCRIPT type="text/javascript">document.write("upper case script")</SCRIPT>
    </body></html>
    """

    @Test("scripts, styles, head, comments, noscript and templates are not visible text")
    func hiddenParts() {
        let (text, _) = HTMLLoader.visibleText(ofHTML: Self.page)
        for hidden in ["color: red", "var hidden", "not text", "a comment", "Enable JavaScript", "template text", "upper case script", "charset"] {
            #expect(!text.contains(hidden), "\(hidden) leaked into: \(text)")
        }
    }

    @Test("entities are decoded and blocks become lines and paragraphs")
    func entitiesAndBlocks() {
        let (text, title) = HTMLLoader.visibleText(ofHTML: Self.page)
        #expect(title == "Visiting the & Light")
        #expect(text.hasPrefix("Cape Lumen\n\nOpen daily from 10 am – 4 pm. Tickets £5 — café 🗼 &unknown; a < b."))
        #expect(text.contains("\n\nTower: 46 m\nRange: 24 nautical miles\n\n"))
        #expect(text.contains("1874 | lit\n1998 | automated"))
        #expect(text.contains("Line\nbreak"))
        #expect(text.contains("  keep   spacing\nhere"))
        #expect(!text.hasSuffix("\n") && !text.hasSuffix(" "))
    }

    @Test("the first h1 is the title when there is no <title>; broken markup never fails")
    func tolerant() throws {
        let (text, title) = HTMLLoader.visibleText(ofHTML: "<h1 class='x'>Beam &amp; Lens</h1><p>unclosed <i>tags<div>3 < 4 and <3 hearts")
        #expect(title == "Beam & Lens")
        // The <div> closes the open <p>, as in a browser, so a paragraph ends before it.
        #expect(text == "Beam & Lens\n\nunclosed tags\n\n3 < 4 and <3 hearts")
        let folder = try TemporaryFolder()
        let file = try folder.write("page.htm", Self.page)
        let document = try #require(try DocumentLoader.load(file).first)
        #expect(document.format == .html && document.title == "Visiting the & Light")
    }
}
