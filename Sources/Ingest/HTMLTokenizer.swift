/// Splits HTML into text runs and tags, following the common states of the HTML tokenizer
/// (https://html.spec.whatwg.org/multipage/parsing.html#tokenization) closely enough for text
/// extraction. It never fails: whatever is not markup is text.
///
/// - Comments, doctype, processing instructions and CDATA sections are skipped (CDATA outside
///   SVG/MathML is a bogus comment to a browser, so its text is not visible).
/// - `<script>`, `<style>` and the elements whose content is never shown (``skippedContent``) are
///   returned with their content skipped; `<title>` and `<textarea>` with their text decoded.
/// - Line ends are normalised as the spec's input stream does: CRLF and lone CR become LF.
/// - Only the attributes extraction reads are kept (``HTMLAttributes``).
struct HTMLTokenizer {
    enum Token {
        /// Decoded text: a range of ``text``.
        case text(Range<Int>)
        /// A start tag. `content` is the decoded text of a `<title>` or `<textarea>` (a range of
        /// ``text``), empty for an element whose content was skipped, nil for any other element.
        case startTag(name: String, attributes: HTMLAttributes, selfClosing: Bool, content: Range<Int>?)
        case endTag(name: String)
    }

    /// Elements whose content is not markup and never visible: skipped up to their end tag.
    /// `svg`, `template` and `object` are not raw text to a browser, but nothing in them is page
    /// text (SVG's `<title>` would otherwise become the page title), so skipping is simplest.
    static let skippedContent: Set<String> = [
        "script", "style", "noscript", "template", "svg", "iframe", "object", "noembed", "noframes", "xmp",
    ]
    /// Elements whose content is text with character references but no tags (RCDATA).
    static let textOnlyContent: Set<String> = ["title", "textarea"]

    let input: [Unicode.Scalar]
    var index = 0
    /// The decoded text of every text token and RCDATA element, in order; tokens point into it.
    var text: [Unicode.Scalar] = []
    /// Scratch space for the UTF-8 of a name or value being read.
    private var nameBuffer: [UInt8] = []

    init(_ html: String) {
        input = Array(html.unicodeScalars)
        text.reserveCapacity(input.count / 2)
    }

    /// The next token, or nil at the end of the input.
    mutating func next() -> Token? {
        let textStart = text.count
        while index < input.count {
            let scalar = input[index]
            if scalar == "<", let kind = markupKind(at: index) {
                switch kind {
                case .ignored(let end):
                    index = end
                    continue  // a comment inside a text run does not split it
                case .tag:
                    if text.count > textStart { return .text(textStart..<text.count) }
                    return readTag()
                }
            }
            index = appendText(at: index, limit: input.count)
        }
        return text.count > textStart ? .text(textStart..<text.count) : nil
    }

    private enum MarkupKind { case ignored(end: Int), tag }

    /// What starts at a "<": a construct to skip (with the index after it), a tag, or nil when
    /// the "<" is literal text ("a < b", "<3").
    private func markupKind(at start: Int) -> MarkupKind? {
        guard start + 1 < input.count else { return nil }
        let next = input[start + 1]
        if next == "!" {
            if matches("<!--", at: start) {
                // "<!-->" and "<!--->" are empty comments; otherwise the comment ends at "-->".
                for short in ["<!-->", "<!--->"] where matches(short, at: start) {
                    return .ignored(end: start + short.unicodeScalars.count)
                }
                return .ignored(end: position(after: "-->", from: start + 4))
            }
            if matches("<![CDATA[", at: start) { return .ignored(end: position(after: "]]>", from: start + 9)) }
            return .ignored(end: position(after: ">", from: start + 2))
        }
        if next == "?" { return .ignored(end: position(after: ">", from: start + 2)) }
        if next == "/" {
            guard start + 2 < input.count else { return nil }
            if isASCIILetter(input[start + 2]) { return .tag }
            // "</>" is dropped; "</ x>" and the like are bogus comments.
            return .ignored(end: position(after: ">", from: start + 2))
        }
        return isASCIILetter(next) ? .tag : nil
    }

    /// Reads the tag at `index` (a "<" before a letter or "/"), and for raw-text elements their
    /// content and end tag too.
    private mutating func readTag() -> Token {
        let closing = input[index + 1] == "/"
        index += closing ? 2 : 1
        let name = readName()
        var attributes = HTMLAttributes()
        var selfClosing = false
        // Attributes, until ">" (an unterminated tag runs to the end of the input).
        while index < input.count {
            let scalar = input[index]
            if isSpace(scalar) { index += 1; continue }
            if scalar == ">" { index += 1; break }
            if scalar == "/" {
                index += 1
                if index < input.count, input[index] == ">" { selfClosing = true }
                continue
            }
            let attributeName = readName(startingWith: scalar)
            while index < input.count, isSpace(input[index]) { index += 1 }
            var value: Range<Int> = index..<index
            if index < input.count, input[index] == "=" {
                index += 1
                while index < input.count, isSpace(input[index]) { index += 1 }
                value = readAttributeValue()
            }
            if !closing, HTMLAttributes.kept.contains(attributeName) {
                attributes.set(attributeName, to: decodedValue(value))
            }
        }
        if closing { return .endTag(name: name) }
        if Self.skippedContent.contains(name) && !selfClosing {
            index = endOfRawText(name).after
            return .startTag(name: name, attributes: attributes, selfClosing: false, content: text.count..<text.count)
        }
        if Self.textOnlyContent.contains(name) && !selfClosing {
            let (end, after) = endOfRawText(name)
            let start = text.count
            var cursor = index
            while cursor < end { cursor = appendText(at: cursor, limit: end) }
            index = after
            return .startTag(name: name, attributes: attributes, selfClosing: false, content: start..<text.count)
        }
        return .startTag(name: name, attributes: attributes, selfClosing: selfClosing, content: nil)
    }

    /// A tag or attribute name, ASCII letters lower-cased; ends at a space, "/", ">" (or "=" for
    /// an attribute name after its first character).
    private mutating func readName(startingWith first: Unicode.Scalar? = nil) -> String {
        nameBuffer.removeAll(keepingCapacity: true)
        if let first { appendUTF8(lowercased(first)); index += 1 }
        while index < input.count {
            let scalar = input[index]
            if isSpace(scalar) || scalar == "/" || scalar == ">" || (first != nil && scalar == "=") { break }
            appendUTF8(lowercased(scalar))
            index += 1
        }
        return String(decoding: nameBuffer, as: UTF8.self)
    }

    private mutating func appendUTF8(_ scalar: Unicode.Scalar) {
        if scalar.isASCII { nameBuffer.append(UInt8(scalar.value)) } else { UTF8.encode(scalar) { nameBuffer.append($0) } }
    }

    /// The range of a quoted or unquoted attribute value; the index moves past it.
    private mutating func readAttributeValue() -> Range<Int> {
        guard index < input.count else { return index..<index }
        let quote = input[index]
        let quoted = quote == "\"" || quote == "'"
        if quoted { index += 1 }
        let start = index
        while index < input.count {
            let scalar = input[index]
            if quoted ? scalar == quote : (isSpace(scalar) || scalar == ">") { break }
            index += 1
        }
        let value = start..<index
        if quoted && index < input.count { index += 1 }
        return value
    }

    /// An attribute value with its character references decoded.
    private mutating func decodedValue(_ range: Range<Int>) -> String {
        nameBuffer.removeAll(keepingCapacity: true)
        var cursor = range.lowerBound
        while cursor < range.upperBound {
            if input[cursor] == "&", let (decoded, next) = HTMLEntities.decode(input, at: cursor), next <= range.upperBound {
                decoded.forEach { appendUTF8($0) }
                cursor = next
            } else {
                appendUTF8(input[cursor])
                cursor += 1
            }
        }
        return String(decoding: nameBuffer, as: UTF8.self)
    }

    /// Appends the text character (or character reference) at `cursor` to ``text``; returns the
    /// index after it.
    private mutating func appendText(at cursor: Int, limit: Int) -> Int {
        let scalar = input[cursor]
        if scalar == "&", let (decoded, next) = HTMLEntities.decode(input, at: cursor), next <= limit {
            text.append(contentsOf: decoded)
            return next
        }
        if scalar == "\r" {
            text.append("\n")
            return cursor + 1 < limit && input[cursor + 1] == "\n" ? cursor + 2 : cursor + 1
        }
        text.append(scalar)
        return cursor + 1
    }

    /// Where the content of a raw-text element `name` ends (at its end tag, or the end of the
    /// input when there is none, as browsers do) and the index after that end tag.
    private func endOfRawText(_ name: String) -> (end: Int, after: Int) {
        let closing = Array("</\(name)".unicodeScalars)
        var cursor = index
        while cursor < input.count {
            if input[cursor] == "<", matches(closing, at: cursor, caseInsensitive: true) {
                let next = cursor + closing.count
                if next >= input.count || isSpace(input[next]) || input[next] == "/" || input[next] == ">" {
                    return (cursor, position(after: ">", from: next))
                }
            }
            cursor += 1
        }
        return (input.count, input.count)
    }

    private func position(after marker: String, from start: Int) -> Int {
        let pattern = Array(marker.unicodeScalars)
        var cursor = start
        while cursor < input.count {
            if input[cursor] == pattern[0] && matches(pattern, at: cursor) { return cursor + pattern.count }
            cursor += 1
        }
        return input.count
    }

    private func matches(_ text: String, at position: Int) -> Bool { matches(Array(text.unicodeScalars), at: position) }

    private func matches(_ pattern: [Unicode.Scalar], at position: Int, caseInsensitive: Bool = false) -> Bool {
        guard position + pattern.count <= input.count else { return false }
        for offset in 0..<pattern.count {
            let scalar = input[position + offset]
            if (caseInsensitive ? lowercased(scalar) : scalar) != pattern[offset] { return false }
        }
        return true
    }
}

private func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
}

/// HTML's whitespace in tags: space, tab, LF, FF, CR.
private func isSpace(_ scalar: Unicode.Scalar) -> Bool {
    scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" || scalar == "\u{0C}"
}

private func lowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    ("A"..."Z").contains(scalar) ? Unicode.Scalar(UInt8(scalar.value + 32)) : scalar
}
