import Foundation

/// Writes a structured document's text block by block, as the zip-based loaders read it: each
/// paragraph, heading or table row group becomes a block, blocks are separated by a blank line
/// (the chunker's paragraph break), and headings, page or slide starts and anchors are recorded at
/// the code-point offset where their block starts.
///
/// ```swift
/// var builder = DocumentTextBuilder()
/// builder.startPage()
/// builder.appendHeading("Semaphore", level: 1)
/// builder.appendParagraph("Symbols across fifteen kilometres.")
/// // builder.text == "Semaphore\n\nSymbols across fifteen kilometres."
/// // builder.headings == [Heading(offset: 0, level: 1, title: "Semaphore")], builder.pageStarts == [0]
/// ```
struct DocumentTextBuilder {
    private(set) var text = ""
    private(set) var headings: [Heading] = []
    private(set) var pageStarts: [Int] = []
    private(set) var anchors: [TextAnchor] = []
    /// Length of `text` in code points (offsets are code points, as ``LoadedDocument`` says).
    private var length = 0
    /// Pages started and anchors placed since the last block: they take the next block's offset.
    private var pendingPages = 0
    private var pendingAnchors: [String] = []

    /// The offset where the next block will start.
    private var nextOffset: Int { text.isEmpty ? 0 : length + 2 }

    /// Appends a paragraph (whitespace at its ends trimmed); an empty one adds nothing.
    mutating func appendParagraph(_ paragraph: String) {
        _ = appendBlock(paragraph)
    }

    /// Appends a heading as its own block and records it; an empty heading adds nothing.
    mutating func appendHeading(_ title: String, level: Int, anchor: String? = nil) {
        let title = Self.collapsingWhitespace(title)
        guard let offset = appendBlock(title) else { return }
        headings.append(Heading(offset: offset, level: level, title: title, anchor: anchor))
    }

    /// Appends a block laid out elsewhere (an EPUB chapter's text from ``HTMLLoader``), with its
    /// headings and anchors at offsets relative to the block; `prefix` is put before their anchors.
    mutating func appendLaidOutBlock(_ block: String, headings blockHeadings: [Heading], anchors blockAnchors: [TextAnchor],
                                     anchorPrefix prefix: String) {
        // Offsets are into `block` as given, so it is appended untrimmed.
        guard !block.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }), let offset = appendBlock(block, trimming: false) else { return }
        for heading in blockHeadings {
            headings.append(Heading(offset: offset + heading.offset, level: heading.level, title: heading.title,
                                    anchor: heading.anchor.map { prefix + "#" + $0 }))
        }
        anchors += blockAnchors.map { TextAnchor(offset: offset + $0.offset, id: prefix + "#" + $0.id) }
    }

    /// Starts a page (a slide): it begins where the next block does.
    mutating func startPage() { pendingPages += 1 }

    /// Places an anchor where the next block starts.
    mutating func placeAnchor(_ id: String) { pendingAnchors.append(id) }

    /// Ends the text: pages and anchors with no block after them start at its end (an empty last
    /// slide still has its page, so the slides before and after keep their numbers).
    mutating func finish() {
        pageStarts += Array(repeating: length, count: pendingPages)
        anchors += pendingAnchors.map { TextAnchor(offset: length, id: $0) }
        pendingPages = 0
        pendingAnchors = []
    }

    /// Appends `block` after a blank line and returns its offset; nil (nothing appended) when it
    /// is empty.
    private mutating func appendBlock(_ block: String, trimming: Bool = true) -> Int? {
        let block = trimming ? block.trimmingCharacters(in: .whitespacesAndNewlines) : block
        guard !block.isEmpty else { return nil }
        let offset = nextOffset
        if !text.isEmpty { text += "\n\n" }
        text += block
        length = offset + block.unicodeScalars.count
        pageStarts += Array(repeating: offset, count: pendingPages)
        anchors += pendingAnchors.map { TextAnchor(offset: offset, id: $0) }
        pendingPages = 0
        pendingAnchors = []
        return offset
    }

    /// Runs of whitespace (line breaks and tabs too) as one space, ends trimmed: a heading's
    /// title is one line in a heading path.
    static func collapsingWhitespace(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
