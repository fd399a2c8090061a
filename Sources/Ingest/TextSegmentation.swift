/// How strongly the text breaks before a segment: the chunker cuts at the strongest break it can.
enum BoundaryRank: Int, Comparable {
    /// Inside a word that was too long for the window (cut between grapheme clusters).
    case insideWord = -1
    /// Whitespace within a line.
    case word = 0
    /// A single line break (code, lists, hard-wrapped text).
    case line = 1
    /// After ". ", "! ", "? ", "…", "。" and the like, before a word that does not start lower-case.
    case sentence = 2
    /// A blank line.
    case paragraph = 3
    /// A Markdown heading or a PDF page starts here (chunks do not overlap across it).
    case section = 4

    static func < (lhs: BoundaryRank, rhs: BoundaryRank) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A run of non-whitespace text (a word, or a piece of an over-long word) with its word-piece count.
struct TextSegment {
    /// Code-point offsets into the document's text.
    var start: Int
    var end: Int
    var startIndex: String.Index
    var endIndex: String.Index
    var tokens: Int
    /// The break between the previous segment and this one.
    var breakBefore: BoundaryRank
}

/// Splits a text into segments in one pass over its Unicode scalars (no String offset arithmetic,
/// so a megabyte of text is segmented in linear time).
///
/// Word-piece counts are additive across whitespace (BERT's basic tokenizer splits on whitespace
/// before WordPiece), so the count of any run of whole words is the sum of their counts. A word
/// with more than `maxTokens` pieces, or longer than ``maximumWordScalars``, is cut into pieces
/// at grapheme-cluster boundaries (never inside an emoji or before a combining mark).
struct TextSegmenter {
    /// WordPiece (BERT's `max_input_chars_per_word`) turns a longer word into a single [UNK]:
    /// beyond this length a "word" (base64, a hash, a minified line) carries nothing for the
    /// encoder, and pieces keep such text from making a huge chunk of one token.
    static let maximumWordScalars = 100

    /// A paragraph of at most this many words that does not end a sentence ("Fog guns",
    /// "3. Finance", "The night of 2 November 1789") is taken for a heading line.
    static let maximumHeadingWords = 12

    let maxTokens: Int
    let countTokens: (Substring) -> Int
    /// Demote the blank line after a heading-like line to a line break, so that a cut falls
    /// before the heading rather than between it and its text (prose only: not for code).
    var keepsHeadingLinesWithText = true

    /// Segments `text`. `sectionStarts` are code-point offsets where a section begins (headings,
    /// pages): the first segment at or after each gets ``BoundaryRank/section``.
    func segments(of text: String, sectionStarts: [Int]) -> [TextSegment] {
        var segments: [TextSegment] = []
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        var offset = 0
        var newlines = 0, formFeed = false
        var pendingSentence = false
        var sections = sectionStarts.sorted()[...]
        var paragraphStart = 0  // index of the first segment of the current paragraph
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if Self.isWhitespace(scalar) {
                if scalar == "\n" { newlines += 1 } else if scalar == "\u{0C}" { formFeed = true }
                scalars.formIndex(after: &index)
                offset += 1
                continue
            }
            // A word: up to whitespace, or just after a CJK sentence end.
            let start = offset, startIndex = index
            var last = scalar
            while index < scalars.endIndex {
                last = scalars[index]
                if Self.isWhitespace(last) { break }
                scalars.formIndex(after: &index)
                offset += 1
                if Self.isCJKSentenceEnd(last) { break }
            }
            var rank: BoundaryRank = formFeed ? .section : newlines >= 2 ? .paragraph : newlines == 1 ? .line : .word
            if pendingSentence && !scalar.properties.isLowercase { rank = max(rank, .sentence) }
            while let next = sections.first, next <= start {
                rank = .section
                sections = sections.dropFirst()
            }
            if rank == .paragraph && keepsHeadingLinesWithText && !pendingSentence
                && segments.count - paragraphStart <= Self.maximumHeadingWords {
                rank = .line
            } else if rank >= .paragraph {
                paragraphStart = segments.count
            }
            append(text[startIndex..<index], start: start, length: offset - start, rank: rank, to: &segments)
            pendingSentence = Self.isCJKSentenceEnd(last) || Self.endsSentence(text.unicodeScalars[startIndex..<index])
            newlines = 0
            formFeed = false
        }
        return segments
    }

    /// Appends a word, cut into pieces when it is too long.
    private func append(_ word: Substring, start: Int, length: Int, rank: BoundaryRank, to segments: inout [TextSegment]) {
        let tokens = countTokens(word)
        if tokens <= maxTokens && length <= Self.maximumWordScalars {
            segments.append(TextSegment(start: start, end: start + length, startIndex: word.startIndex,
                                        endIndex: word.endIndex, tokens: tokens, breakBefore: rank))
            return
        }
        // Grapheme boundaries of the word, with their code-point offsets.
        var boundaries: [(index: String.Index, offset: Int)] = [(word.startIndex, start)]
        var offset = start
        for character in word {
            offset += character.unicodeScalars.count
            boundaries.append((word.index(boundaries[boundaries.count - 1].index, offsetBy: 1), offset))
        }
        var first = 0, pieceRank = rank
        while first < boundaries.count - 1 {
            // The longest run of graphemes within the length cap and the token budget (binary search).
            var low = first + 1, high = first + 1
            while high + 1 < boundaries.count, boundaries[high + 1].offset - boundaries[first].offset <= Self.maximumWordScalars { high += 1 }
            while low < high {
                let middle = (low + high + 1) / 2
                if countTokens(word[boundaries[first].index..<boundaries[middle].index]) <= maxTokens { low = middle } else { high = middle - 1 }
            }
            let piece = word[boundaries[first].index..<boundaries[low].index]
            segments.append(TextSegment(start: boundaries[first].offset, end: boundaries[low].offset,
                                        startIndex: piece.startIndex, endIndex: piece.endIndex,
                                        tokens: countTokens(piece), breakBefore: pieceRank))
            pieceRank = .insideWord
            first = low
        }
    }

    /// "end." "end?!" "end.)" "end.”" "…": a sentence-ending mark, then only closing punctuation.
    static func endsSentence(_ word: Substring.UnicodeScalarView) -> Bool {
        for scalar in word.reversed() {
            switch scalar {
            case ".", "!", "?", "…": return true
            case ")", "]", "\"", "'", "”", "’", "»", "*", "_": continue
            default: return false
            }
        }
        return false
    }

    /// Unicode White_Space, with a fast path for ASCII (most scalars of most documents).
    @inline(__always)
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return scalar.value == 0x20 || (0x09...0x0D).contains(scalar.value) }
        return scalar.properties.isWhitespace
    }

    static func isCJKSentenceEnd(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "。" || scalar == "！" || scalar == "？" || scalar == "．"
    }
}
