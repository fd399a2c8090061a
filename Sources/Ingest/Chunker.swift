/// Cuts a document into overlapping chunks that fit the encoder's window.
///
/// Every chunk has at most `maxTokens − 2` word pieces as `countTokens` counts them, leaving room
/// for [CLS] and [SEP], so the encoder never truncates. Cuts prefer, in order: a section start
/// (Markdown heading, PDF page: always a cut), a blank line, a sentence end, a line break, a space, and only for
/// a "word" longer than the window, a grapheme-cluster boundary inside it. Nothing is dropped:
/// the chunks cover every non-whitespace character of the text.
///
/// Each chunk is the exact slice `start..<end` (Unicode code points) of the document's text,
/// without leading or trailing whitespace. Consecutive chunks overlap by up to `overlapTokens`,
/// starting at a sentence start when one falls in the overlap; never across a section start, so
/// a chunk's page and heading path hold for all of its text.
/// ```swift
/// let chunker = Chunker(countTokens: { encoder.wordPieceCount($0) })
/// for chunk in chunker.chunks(of: document) { print(chunk.start, chunk.end, chunk.headingPath ?? "") }
/// ```
public struct Chunker {
    /// The encoder's window including [CLS] and [SEP] (256 for all-MiniLM-L6-v2).
    public let maxTokens: Int
    /// The size aimed at when choosing where to cut, in word pieces.
    public let targetTokens: Int
    /// Word pieces repeated from the end of one chunk at the start of the next.
    public let overlapTokens: Int
    /// The overlap unless one is given.
    public static let defaultOverlapTokens = 32

    /// Word pieces of a text without [CLS]/[SEP]; must be additive across whitespace.
    public let countTokens: (Substring) -> Int

    /// Defaults for all-MiniLM-L6-v2's 256-piece window. A target of 200 leaves 54 pieces of slack
    /// below the 254-piece limit, so a paragraph or sentence end can usually be found between half
    /// the target (100) and the limit; chunks stay short enough that mean pooling is not diluted
    /// over several topics. An overlap of 32 pieces is about one English sentence (~25–30 pieces):
    /// a fact cut at a chunk boundary still appears whole in one chunk, at ~16% extra text.
    /// Out-of-range values are clamped: target to [1, maxTokens − 2], overlap to [0, target / 2].
    public init(maxTokens: Int = 256, targetTokens: Int = 200, overlapTokens: Int = Chunker.defaultOverlapTokens,
                countTokens: @escaping (Substring) -> Int) {
        self.maxTokens = max(maxTokens, 3)
        let budget = self.maxTokens - 2
        self.targetTokens = min(max(targetTokens, 1), budget)
        self.overlapTokens = min(max(overlapTokens, 0), self.targetTokens / 2)
        self.countTokens = countTokens
    }

    /// Word pieces a chunk may hold: the window minus [CLS] and [SEP].
    public var contentBudget: Int { maxTokens - 2 }

    /// The chunks of `document`, numbered from 0; empty when the text is only whitespace.
    public func chunks(of document: LoadedDocument) -> [DocumentChunk] {
        let text = document.text
        let sectionStarts = document.headings.map(\.offset) + document.pageStarts.dropFirst()
        var segmenter = TextSegmenter(maxTokens: contentBudget, countTokens: countTokens)
        segmenter.keepsHeadingLinesWithText = document.format != .code
        let segments = segmenter.segments(of: text, sectionStarts: sectionStarts)
        guard !segments.isEmpty else { return [] }
        // prefix[k] = word pieces of segments 0..<k, so pieces(a..<b) = prefix[b] − prefix[a].
        var prefix = [0]
        prefix.reserveCapacity(segments.count + 1)
        for segment in segments { prefix.append(prefix[prefix.count - 1] + segment.tokens) }

        var locator = ChunkLocator(document: document)
        var chunks: [DocumentChunk] = []
        var first = 0
        while first < segments.count {
            var end = cutPoint(from: first, segments, prefix)
            // The sum is exact for whole words; pieces of one long word may count differently
            // once joined, so the real count decides, stepping back a segment at a time.
            var slice = text[segments[first].startIndex..<segments[end - 1].endIndex]
            var tokens = countTokens(slice)
            while tokens > contentBudget && end > first + 1 {
                end -= 1
                slice = text[segments[first].startIndex..<segments[end - 1].endIndex]
                tokens = countTokens(slice)
            }
            let start = segments[first].start, stop = segments[end - 1].end
            chunks.append(DocumentChunk(ordinal: chunks.count, text: String(slice), start: start,
                                        end: stop, tokenCount: tokens,
                                        page: locator.page(at: start), headingPath: locator.headingPath(at: start),
                                        lineStart: locator.line(at: start), lineEnd: locator.line(at: max(start, stop - 1)),
                                        anchor: locator.anchor(at: start)))
            guard end < segments.count else { break }
            first = nextStart(after: end, previousStart: first, segments, prefix)
        }
        return chunks
    }

    /// Where to end the chunk starting at segment `first` (exclusive segment index): the strongest
    /// break among ends holding at least half the target, the one nearest the target among equals.
    func cutPoint(from first: Int, _ segments: [TextSegment], _ prefix: [Int]) -> Int {
        var limit = first + 1  // one segment always fits: the segmenter cut longer ones
        while limit < segments.count && segments[limit].breakBefore != .section
                && prefix[limit + 1] - prefix[first] <= contentBudget { limit += 1 }
        // A section start (heading, page) always ends a chunk, so page and heading path hold for
        // the whole chunk; a short section makes a short chunk.
        if limit == segments.count || segments[limit].breakBefore == .section { return limit }
        let minimum = targetTokens / 2
        var best = limit, bestRank = BoundaryRank.insideWord, bestDistance = Int.max
        for end in stride(from: limit, to: first, by: -1) {
            let size = prefix[end] - prefix[first]
            if size < minimum && end < limit { break }
            let rank = segments[end].breakBefore
            let distance = abs(size - targetTokens)
            if rank > bestRank || (rank == bestRank && distance < bestDistance) {
                best = end; bestRank = rank; bestDistance = distance
            }
        }
        return best
    }

    /// The first segment of the next chunk: `end` after a section start (no overlap); otherwise
    /// the earliest sentence start within `overlapTokens` of `end`, else the earliest line start
    /// (code), else (unless the cut is at a paragraph end) the earliest word start, provided the
    /// next chunk can still reach past `end`.
    func nextStart(after end: Int, previousStart: Int, _ segments: [TextSegment], _ prefix: [Int]) -> Int {
        if segments[end].breakBefore == .section || overlapTokens == 0 { return end }
        var lineStart: Int? = nil, wordStart: Int? = nil
        for start in (previousStart + 1)..<end {
            let overlap = prefix[end] - prefix[start]
            guard overlap <= overlapTokens, prefix[end + 1] - prefix[start] <= contentBudget else { continue }
            let rank = segments[start].breakBefore
            if rank >= .sentence { return start }
            if rank >= .line && lineStart == nil { lineStart = start }
            if rank >= .word && wordStart == nil { wordStart = start }
        }
        // After a paragraph end, a fragment of the previous paragraph's last sentence is noise.
        if segments[end].breakBefore >= .paragraph { return end }
        return lineStart ?? wordStart ?? end
    }
}

/// Finds a chunk's page and heading path; chunk starts only grow, so each is a forward scan.
private struct ChunkLocator {
    let pageStarts: [Int]
    let headings: [Heading]
    var nextPage = 0
    var nextHeading = 0
    var open: [Heading] = []

    /// Code-point offsets of the line breaks, when the text is the file's text (else empty).
    let lineBreaks: [Int]
    let countsLines: Bool
    /// Anchors and anchored headings, by offset.
    let anchors: [TextAnchor]
    var nextAnchor = 0
    var currentAnchor: String?

    init(document: LoadedDocument) {
        pageStarts = document.pageStarts
        headings = document.headings.sorted { $0.offset < $1.offset }
        countsLines = document.textIsFileText
        var breaks: [Int] = []
        if countsLines {
            for (offset, scalar) in document.text.unicodeScalars.enumerated() where scalar == "\n" { breaks.append(offset) }
        }
        lineBreaks = breaks
        let headingAnchors = document.headings.compactMap { heading in heading.anchor.map { TextAnchor(offset: heading.offset, id: $0) } }
        anchors = (document.anchors + headingAnchors).sorted { $0.offset < $1.offset }
    }

    /// 1-based line of code point `offset`, for text that is the file's own.
    func line(at offset: Int) -> Int? {
        guard countsLines else { return nil }
        // Line breaks before `offset`, by binary search.
        var low = 0, high = lineBreaks.count
        while low < high {
            let middle = (low + high) / 2
            if lineBreaks[middle] < offset { low = middle + 1 } else { high = middle }
        }
        return low + 1
    }

    /// The last anchor at or before `offset`.
    mutating func anchor(at offset: Int) -> String? {
        while nextAnchor < anchors.count && anchors[nextAnchor].offset <= offset {
            currentAnchor = anchors[nextAnchor].id
            nextAnchor += 1
        }
        return currentAnchor
    }

    /// 1-based page holding code point `offset`, or nil when the document has no pages.
    mutating func page(at offset: Int) -> Int? {
        guard !pageStarts.isEmpty else { return nil }
        while nextPage < pageStarts.count && pageStarts[nextPage] <= offset { nextPage += 1 }
        return max(nextPage, 1)
    }

    /// "A > B > C": the headings open at `offset` (a heading closes those of its level and deeper).
    mutating func headingPath(at offset: Int) -> String? {
        while nextHeading < headings.count && headings[nextHeading].offset <= offset {
            let heading = headings[nextHeading]
            while let last = open.last, last.level >= heading.level { open.removeLast() }
            open.append(heading)
            nextHeading += 1
        }
        return open.isEmpty ? nil : open.map(\.title).joined(separator: " > ")
    }
}
