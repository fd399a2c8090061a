/// What marks an element as page furniture (navigation, sidebars, footers, permalinks) rather
/// than the author's text: its ARIA role, and the words that themes and site generators put in
/// `class` and `id` (Sphinx, DocBook, mdBook, WordPress, Bootstrap, …). Tags (`<nav>`, `<aside>`,
/// …) are judged in ``HTMLMainContent``.
enum HTMLFurniture {
    /// Where a furniture mark applies.
    enum Reach {
        /// Everywhere.
        case anywhere
        /// Only outside an `<article>` or `<section>`: inside one, a "sidebar" or "footer" is the
        /// author's (docutils renders `.. sidebar::` as `<aside class="sidebar">` within the section).
        case pageLevel
    }

    /// ARIA landmark and widget roles that are not content
    /// (https://www.w3.org/TR/wai-aria-1.2/#landmark_roles), and DPUB's table of contents.
    static let roles: Set<String> = [
        "navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "doc-toc",
    ]

    /// Whole `class` tokens that mark furniture anywhere.
    static let classTokens: Set<String> = [
        // permalinks next to headings: Sphinx and MkDocs, Jupyter, AnchorJS, Docusaurus, VitePress
        "headerlink", "anchor-link", "anchorjs-link", "hash-link", "header-anchor",
        // navigation
        "nav", "navbar", "navigation", "sidenav", "topnav", "subnav", "menu", "menubar", "breadcrumb",
        "breadcrumbs", "pagination", "pager", "related", "toc", "navheader", "navfooter",
        "sphinxsidebar", "sphinxsidebarwrapper", "skip-link", "skiplink", "skip-to-content",
        // Sphinx's table of contents of other pages, whose titles are set in code for modules
        "toctree-wrapper",
        // text for screen readers only, and sharing widgets
        "sr-only", "visually-hidden", "screen-reader-text", "share", "sharing", "social",
    ]
    /// Whole `class` tokens that mark furniture outside an article or section.
    static let pageLevelClassTokens: Set<String> = ["sidebar", "footer"]

    /// Words that make a hyphenated or underscored class a furniture mark: `site-nav`,
    /// `main-menu`, `related-posts`, `left-sidebar`, `footer-links`. Not "toc": docutils puts
    /// `toc-backref` on section titles.
    static let compoundWords: [Substring: Reach] = [
        "nav": .anywhere, "navbar": .anywhere, "navigation": .anywhere, "menu": .anywhere,
        "breadcrumb": .anywhere, "breadcrumbs": .anywhere, "related": .anywhere, "cookie": .anywhere,
        "pagination": .anywhere, "sidebar": .pageLevel, "footer": .pageLevel,
    ]

    /// `id` values that mark furniture, on the elements in ``idElements`` only. Ids are matched
    /// whole: generated ids name the content (PostgreSQL's `sql-for-update-share`,
    /// Sphinx's `<section id="navigation">` for a chapter called "Navigation").
    static let ids: [String: Reach] = [
        "nav": .anywhere, "navbar": .anywhere, "navigation": .anywhere, "menu": .anywhere,
        "breadcrumbs": .anywhere, "breadcrumb": .anywhere, "toc": .anywhere, "related": .anywhere,
        "skip-link": .anywhere, "sidebar": .pageLevel, "footer": .pageLevel, "header": .pageLevel,
        "site-footer": .pageLevel, "site-header": .pageLevel, "masthead": .pageLevel,
    ]
    static let idElements: Set<String> = ["div", "nav", "ul", "ol", "aside", "header", "footer", "table", "menu", "td"]

    /// How far the furniture marks in `classes` reach (the widest of its tokens), and whether only
    /// compounds matched; nil when no token is a furniture mark.
    static func match(classes: String) -> (reach: Reach, compoundOnly: Bool)? {
        var reach: Reach? = nil
        var exact = false
        for rawToken in classes.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            let token = rawToken.contains(where: \.isUppercase) ? rawToken.lowercased() : String(rawToken)
            if classTokens.contains(token) { return (.anywhere, false) }
            if pageLevelClassTokens.contains(token) {
                exact = true
                if reach == nil { reach = .pageLevel }
                continue
            }
            guard token.utf8.contains(where: { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }) else { continue }
            for word in token.split(whereSeparator: { $0 == "-" || $0 == "_" }) {
                guard let wordReach = compoundWords[word] else { continue }
                if wordReach == .anywhere || reach == nil { reach = wordReach }
            }
        }
        return reach.map { ($0, !exact) }
    }
}
