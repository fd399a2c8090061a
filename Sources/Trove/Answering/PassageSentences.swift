import Foundation

/// The sentences of a passage, as ranges of its text: the units that evidence is chosen among
/// and that an answer quotes.
///
/// A sentence ends at ". ", "! ", "? " (or the same before a line break) and at a blank line.
/// A single line break ends a sentence too, unless it only wraps prose (the line before is long
/// and does not end in punctuation, and the next starts with a lower-case letter): code, lists
/// and table rows are one unit per line, hard-wrapped paragraphs are not cut mid-sentence. A
/// label line goes with the sentence after it (``attachingLabels(_:in:)``). Whitespace around
/// each sentence is left out of its range.
enum PassageSentences {
    /// Lines shorter than this are not taken for wrapped prose.
    static let wrappedLineLength = 50

    static func ranges(in text: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var start = text.startIndex
        var lineStart = text.startIndex
        var i = text.startIndex
        func close(at end: String.Index) {
            if let range = trimmed(start ..< end, in: text) { ranges.append(range) }
        }
        while i < text.endIndex {
            let c = text[i]
            let next = text.index(after: i)
            if c == "\n" {
                let line = text[lineStart ..< i]
                let following = next < text.endIndex ? text[next] : "\n"
                let wrapsProse = line.count >= wrappedLineLength && !(line.last.map { ".:;!?".contains($0) } ?? true)
                    && (following.isLetter || following.isNumber)
                if !wrapsProse { close(at: i); start = next }
                lineStart = next
            } else if ".!?".contains(c), next == text.endIndex || text[next] == " " || text[next] == "\n",
                      !endsAbbreviation(text[start ..< i], lineStart: text[lineStart ..< i]) {
                close(at: next)
                start = next
            }
            i = next
        }
        close(at: text.endIndex)
        return attachingLabels(ranges, in: text)
    }

    /// A label line is kept with the sentence it introduces: an API entry's signature
    /// (`random.randint(a, b)`, then "Return a random integer…"), a term before its definition, a
    /// heading before its first sentence. The answer is often in the label, the evidence in the
    /// sentence. A label is a whole line of at most ``labelLength`` characters without end
    /// punctuation, not a list item and not a table row, followed (after at most one blank line)
    /// by a line that starts a sentence (a capital letter).
    static let labelLength = 80

    static func attachingLabels(_ ranges: [Range<String.Index>], in text: String) -> [Range<String.Index>] {
        var result: [Range<String.Index>] = []
        var i = 0
        while i < ranges.count {
            let label = ranges[i]
            if i + 1 < ranges.count, isLabel(label, in: text) {
                let gap = text[label.upperBound ..< ranges[i + 1].lowerBound]
                let breaks = gap.filter { $0 == "\n" }.count
                // A command-line option's description may start in lower case, as GNU's do:
                // "-s, --summarize" above "display only a total for each argument".
                let next = text[ranges[i + 1]].first
                if (1...2).contains(breaks), gap.allSatisfy(\.isWhitespace),
                   next?.isUppercase == true || (isOptionTag(text[label]) && next?.isLetter == true) {
                    result.append(label.lowerBound ..< ranges[i + 1].upperBound)
                    i += 2
                    continue
                }
            }
            result.append(label)
            i += 1
        }
        return result
    }

    private static func isLabel(_ range: Range<String.Index>, in text: String) -> Bool {
        let line = text[range]
        // A table's row ("NOTSET | 0") is a row of its table, not the label of the paragraph after
        // the table; a list item ("- milk") is no label, an option's tag ("-a, --all") is.
        guard line.count <= labelLength, !line.contains("\n"), !line.contains(" | "), let first = line.first,
              !"-*•+>|".contains(first) || isOptionTag(line),
              let last = line.last, !".!?:;,".contains(last) else { return false }
        let startsLine = range.lowerBound == text.startIndex || text[text.index(before: range.lowerBound)] == "\n"
        let endsLine = range.upperBound == text.endIndex || text[range.upperBound] == "\n"
        return startsLine && endsLine
    }

    /// Whether `line` is a command-line option's tag, as man pages and `--help` print it above
    /// its description: `-a, --all`, `--block-size=SIZE`, `-name pattern` (a dash, then a letter
    /// or a second dash), not a list item ("- milk") or a negative number.
    static func isOptionTag(_ line: Substring) -> Bool {
        guard line.first == "-", let second = line.dropFirst().first else { return false }
        return second.isLetter || (second == "-" && line.dropFirst(2).first?.isLetter == true)
    }

    /// The quote a person reads for the sentence at `range`: the sentence with the rest of its
    /// paragraph (the text between blank lines), as far as ``quoteLength`` allows, sentences after
    /// it first. The sentence the encoder scores best is often the one beside the answer: "The pass
    /// statement does nothing. It can be used when a statement is required…", "Return the current
    /// value of the recursion limit… It can be set by setrecursionlimit()." And a quote that ends
    /// announcing what follows (``announcesBlock(_:)``) takes the block after it (a table, a code
    /// example), up to ``blockLines`` lines.
    static let quoteLength = 420
    static let blockLines = 8

    static func quote(around range: Range<String.Index>, in text: String) -> Range<String.Index> {
        let sentences = ranges(in: text)
        guard let i = sentences.firstIndex(where: { $0.overlaps(range) || $0 == range }) else { return range }
        func sameParagraph(_ a: Range<String.Index>, _ b: Range<String.Index>) -> Bool {
            !text[a.upperBound ..< b.lowerBound].contains("\n\n")
        }
        var lower = range.lowerBound, upper = range.upperBound
        var before = i - 1, after = i + 1
        while true {
            if after < sentences.count, sameParagraph(sentences[after - 1], sentences[after]),
               text.distance(from: lower, to: sentences[after].upperBound) <= quoteLength {
                upper = sentences[after].upperBound
                after += 1
            } else if before >= 0, sameParagraph(sentences[before], sentences[before + 1]),
                      text.distance(from: sentences[before].lowerBound, to: upper) <= quoteLength {
                lower = sentences[before].lowerBound
                before -= 1
            } else {
                break
            }
        }
        // A quote that announces a block takes it: the lines after the blank line, up to the next one.
        // (A colon announces only at the paragraph's end; "the following table" anywhere in it.)
        let quoted = sentences[(before + 1) ..< after]
        if after < sentences.count,
           text[sentences[after - 1]].last == ":" || quoted.contains(where: { announcesBlock(text[$0]) }) {
            // A block's last line may have been joined to the paragraph after it as its label:
            // the block ends at the first blank line either way.
            func untilBlankLine(_ range: Range<String.Index>) -> String.Index {
                text[range].range(of: "\n\n")?.lowerBound ?? range.upperBound
            }
            var end = untilBlankLine(sentences[after])
            var lines = text[sentences[after]].filter { $0 == "\n" }.count + 1
            var next = after + 1
            while end == sentences[next - 1].upperBound, next < sentences.count, lines < blockLines,
                  !text[end ..< sentences[next].lowerBound].contains("\n\n") {
                end = untilBlankLine(sentences[next])
                lines += text[sentences[next]].filter { $0 == "\n" }.count + 1
                next += 1
            }
            upper = end
        }
        return lower ..< upper
    }

    /// Whether a sentence of a paragraph announces the block after the paragraph: "…are given in the
    /// following table.", "…is shown below.", "…as follows." (A paragraph that ends in a colon,
    /// "…deleting duplicates as you go:", announces it too.)
    static func announcesBlock(_ sentence: Substring) -> Bool {
        let words = AnswerText.words(String(sentence))
        return sentence.last == "." && (words.contains("following") || words.suffix(2).contains("below") || words.suffix(2) == ["as", "follows"])
    }

    /// "e.g", "i.e", "etc", "vs", "Dr", a single letter, or the number of a list item ("1." at the
    /// start of a line): a full stop there does not end the sentence. `line` is the line so far.
    static func endsAbbreviation(_ before: Substring, lineStart line: Substring) -> Bool {
        let word = before.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "(" }).last.map(String.init) ?? ""
        if word.count <= 1 && !(word.first?.isNumber ?? false) { return true }
        if word.allSatisfy({ $0.isNumber }) && line.trimmingCharacters(in: .whitespaces) == word { return true }
        return ["e.g", "i.e", "etc", "vs", "cf", "dr", "mr", "mrs", "st", "no", "fig"].contains(word.lowercased())
    }

    private static func trimmed(_ range: Range<String.Index>, in text: String) -> Range<String.Index>? {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, text[lower].isWhitespace { lower = text.index(after: lower) }
        while upper > lower, text[text.index(before: upper)].isWhitespace { upper = text.index(before: upper) }
        return lower < upper ? lower ..< upper : nil
    }
}
