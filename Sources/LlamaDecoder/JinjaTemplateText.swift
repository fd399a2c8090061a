/// What Trove's chat-template recognisers read of a Jinja template without running it: the
/// string literals inside its `{{ … }}` and `{% … %}` tags (escapes decoded), and the text outside
/// the tags that Jinja would print once its whitespace control has run.
///
/// Trove renders a template only when its renderer knows every one of these texts
/// (`ChatTemplate+KnownText.swift`): a template that could write something else (a tool prompt, a
/// date line, a thinking block) is refused rather than rendered differently from its Jinja.
///
/// Whitespace control is what transformers' `apply_chat_template` and llama.cpp use:
/// `trim_blocks` (the newline right after a `%}` or `#}` is dropped), `lstrip_blocks` (spaces and
/// tabs from the start of a line up to a `{%` or `{#` are dropped), `-` inside a tag (all
/// whitespace on that side is dropped), and no trailing newline at the end of the template.
/// https://jinja.palletsprojects.com/en/stable/templates/#whitespace-control
struct JinjaTemplateText {
    /// The string literals inside tags, in order, each once.
    private(set) var literals: [String] = []
    /// The stretches of text outside tags that survive whitespace control, in order.
    private(set) var printedText: [String] = []

    private enum Tag: Equatable { case expression, statement, comment }

    init(_ source: String) {
        let s = Array(source.unicodeScalars)
        var rawStart = 0
        var previous: (tag: Tag, stripsAfter: Bool, trimsNewline: Bool)?
        var i = 0
        while i + 1 < s.count {
            guard s[i] == "{", let tag = Self.tag(opening: s[i + 1]) else { i += 1; continue }
            let marker: Unicode.Scalar? = i + 2 < s.count ? s[i + 2] : nil
            keepPrinted(s[rawStart ..< i], after: previous, before: tag,
                        stripsBefore: marker == "-", lstrips: tag != .expression && marker != "+")
            let end = scanTag(s, from: i + 2, tag: tag)
            let closingMarker: Unicode.Scalar? = end > i + 2 ? s[end - 1] : nil
            previous = (tag, closingMarker == "-", tag != .expression && closingMarker != "+")
            i = min(end + 2, s.count)
            rawStart = i
        }
        keepPrinted(s[rawStart...], after: previous, before: nil, stripsBefore: false, lstrips: false)
    }

    private static func tag(opening: Unicode.Scalar) -> Tag? {
        switch opening {
        case "{": return .expression
        case "%": return .statement
        case "#": return .comment
        default: return nil
        }
    }

    /// The index of the tag's closing `}}`, `%}` or `#}` (or the end of the source), collecting
    /// the string literals on the way: a literal may hold `}}` (Mistral's templates print `"}}"`).
    private mutating func scanTag(_ s: [Unicode.Scalar], from start: Int, tag: Tag) -> Int {
        let closer: Unicode.Scalar = tag == .expression ? "}" : (tag == .statement ? "%" : "#")
        var j = start
        while j < s.count {
            if s[j] == closer, j + 1 < s.count, s[j + 1] == "}" { return j }
            if tag != .comment, s[j] == "'" || s[j] == "\"" {
                j = readLiteral(s, from: j)
            } else {
                j += 1
            }
        }
        return s.count
    }

    /// Reads the literal opening at `start`; returns the index after its closing quote.
    private mutating func readLiteral(_ s: [Unicode.Scalar], from start: Int) -> Int {
        let quote = s[start]
        var text = String.UnicodeScalarView()
        var j = start + 1
        while j < s.count, s[j] != quote {
            if s[j] == "\\", j + 1 < s.count {
                j += 1
                switch s[j] {
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "r": text.append("\r")
                case "\\", "'", "\"": text.append(s[j])
                default: text.append("\\"); text.append(s[j])
                }
            } else {
                text.append(s[j])
            }
            j += 1
        }
        let literal = String(text)
        if !literals.contains(literal) { literals.append(literal) }
        return j + 1
    }

    /// Applies whitespace control to the raw text between two tags and keeps what is left.
    private mutating func keepPrinted(_ raw: ArraySlice<Unicode.Scalar>, after previous: (tag: Tag, stripsAfter: Bool, trimsNewline: Bool)?,
                                      before next: Tag?, stripsBefore: Bool, lstrips: Bool) {
        func isBlank(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" }
        var text = raw
        if stripsBefore {
            while let last = text.last, last.properties.isWhitespace { text.removeLast() }
        } else if lstrips {
            // Only blanks that start their line: after a newline, or at the very start.
            var blanks = text
            while let last = blanks.last, isBlank(last) { blanks.removeLast() }
            if blanks.last == "\n" || (blanks.isEmpty && previous == nil) { text = blanks }
        }
        if let previous, previous.stripsAfter {
            while let first = text.first, first.properties.isWhitespace { text.removeFirst() }
        } else if let previous, previous.trimsNewline, text.first == "\n" {
            text.removeFirst()
        }
        if next == nil, text.last == "\n" { text.removeLast() } // keep_trailing_newline is off
        if !text.isEmpty { printedText.append(String(String.UnicodeScalarView(text))) }
    }
}
