import Foundation

/// `.html` and `.htm` files: the visible text, laid out so the chunker sees the page's structure.
///
/// A tolerant hand-written scanner, no dependency, no DOM: it never fails on bad markup.
/// - Hidden: `<head>` (except its `<title>`), `<script>`, `<style>`, `<template>`, `<noscript>`,
///   `<svg>`, `<iframe>`, comments, doctype and processing instructions.
/// - Entities decoded (``HTMLEntities``: numeric and common named ones; `&nbsp;` collapses like a space).
/// - Whitespace collapses as a browser renders it, except inside `<pre>` and `<textarea>`.
/// - Block elements (p, h1–h6, section, table, lists, …) end a paragraph (a blank line);
///   line-level ones (div, li, tr, br, dt, dd, …) end a line; table cells are separated by a space.
/// - Title: `<title>`, else the first `<h1>`.
public enum HTMLLoader {
    /// Loads an HTML file.
    public static func load(_ file: URL) throws -> LoadedDocument {
        let (text, title) = visibleText(ofHTML: try DocumentLoader.readText(file))
        return LoadedDocument(path: file.path, format: .html, title: title, text: text)
    }

    /// The visible text and title of an HTML document.
    public static func visibleText(ofHTML html: String) -> (text: String, title: String?) {
        var scanner = HTMLTextScanner(Array(html.unicodeScalars))
        scanner.run()
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scanner.output)
        let title = scanner.title ?? scanner.firstHeading
        return (String(text), title.flatMap { $0.isEmpty ? nil : $0 })
    }
}

/// Elements whose whole content is hidden (raw-skipped up to their closing tag).
private let hiddenElements: Set<String> = ["script", "style", "template", "noscript", "svg", "iframe", "object"]
/// Elements that start and end a paragraph.
private let paragraphElements: Set<String> = [
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "section", "article", "header",
    "footer", "nav", "aside", "main", "table", "ul", "ol", "dl", "figure", "hr", "form", "fieldset",
    "details", "address", "body", "html", "hgroup", "dialog", "menu",
]
/// Elements that start and end a line.
private let lineElements: Set<String> = [
    "div", "li", "tr", "dt", "dd", "figcaption", "caption", "summary", "thead", "tbody", "tfoot",
    "legend", "option", "label",
]

/// The scanner's state: input scalars, output scalars and the pending separator.
private struct HTMLTextScanner {
    let input: [Unicode.Scalar]
    var index = 0
    var output: [Unicode.Scalar] = []
    /// 0 none, 1 line break, 2 paragraph break: written before the next visible character.
    var pendingBreak = 0
    var pendingSpace = false
    var preformatted = 0
    var inHead = false
    var title: String?
    var firstHeading: String?
    var headingStart: Int?

    init(_ input: [Unicode.Scalar]) { self.input = input }

    mutating func run() {
        while index < input.count {
            let scalar = input[index]
            if scalar == "<" && scanMarkup() { continue }
            if scalar == "&", let (value, next) = HTMLEntities.decode(input, at: index) {
                value.forEach { emit($0) }
                index = next
                continue
            }
            emit(scalar)
            index += 1
        }
    }

    /// Writes one character of text, collapsing whitespace and placing pending breaks.
    mutating func emit(_ scalar: Unicode.Scalar) {
        if inHead { return }
        let isSpace = scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{0C}" || scalar == "\u{A0}"
        if isSpace && preformatted == 0 {
            pendingSpace = true
            return
        }
        if scalar == "\r" { return }  // CRLF inside <pre>: the LF alone ends the line
        if pendingBreak > 0 {
            while let last = output.last, last == " " || last == "\t" { output.removeLast() }
            if !output.isEmpty { output.append(contentsOf: pendingBreak == 2 ? ["\n", "\n"] : ["\n"]) }
        } else if pendingSpace, let last = output.last, last != "\n" {
            output.append(" ")
        }
        pendingBreak = 0
        pendingSpace = false
        output.append(scalar)
    }

    /// At a "<": consumes a tag, comment or declaration and returns true, or returns false when the
    /// "<" is literal text ("a < b").
    mutating func scanMarkup() -> Bool {
        guard index + 1 < input.count else { return false }
        let next = input[index + 1]
        if startsWith("<!--", at: index) {
            index = position(after: "-->", from: index + 4)
            return true
        }
        if next == "!" || next == "?" {
            index = position(after: ">", from: index + 2)
            return true
        }
        let closing = next == "/"
        let nameStart = closing ? index + 2 : index + 1
        guard nameStart < input.count, input[nameStart].properties.isAlphabetic else { return false }
        var end = nameStart
        var name = ""
        while end < input.count, input[end].properties.isAlphabetic || ("0"..."9").contains(input[end]) || input[end] == "-" || input[end] == ":" {
            name.unicodeScalars.append(input[end])
            end += 1
        }
        name = name.lowercased()
        let (afterTag, selfClosing) = endOfTag(from: end)
        index = afterTag
        closing ? closeElement(name) : openElement(name, selfClosing: selfClosing)
        return true
    }

    mutating func openElement(_ name: String, selfClosing: Bool) {
        if selfClosing && name != "br" && name != "hr" { return }
        switch name {
        case "head": inHead = true
        case "body": inHead = false; requestBreak(2)
        case "title":
            let text = rawText(until: "title")
            if title == nil { title = collapse(text) }
        case "br": requestBreak(min(2, pendingBreak + 1))
        case "td", "th": pendingSpace = true
        case _ where hiddenElements.contains(name): _ = rawText(until: name)
        default:
            if name == "pre" || name == "textarea" { preformatted += 1 }
            if name == "h1" && firstHeading == nil { requestBreak(2); headingStart = output.count + (output.isEmpty ? 0 : 2) }
            blockBreak(name)
        }
    }

    mutating func closeElement(_ name: String) {
        switch name {
        case "head": inHead = false
        case "td", "th": pendingSpace = true
        default:
            if name == "pre" || name == "textarea" { preformatted = max(0, preformatted - 1) }
            if name == "h1", let start = headingStart, firstHeading == nil, start <= output.count {
                var heading = String.UnicodeScalarView()
                heading.append(contentsOf: output[start...])
                firstHeading = collapse(String(heading))
                headingStart = nil
            }
            blockBreak(name)
        }
    }

    mutating func blockBreak(_ name: String) {
        if paragraphElements.contains(name) { requestBreak(2) } else if lineElements.contains(name) { requestBreak(1) }
    }

    mutating func requestBreak(_ level: Int) { pendingBreak = max(pendingBreak, level) }

    /// The raw text up to `</name` (case-insensitive), entities decoded; the index moves past the
    /// closing tag, or to the end of input when it is missing (as browsers do).
    mutating func rawText(until name: String) -> String {
        let closing = Array("</\(name)".unicodeScalars)
        var cursor = index
        while cursor < input.count && !startsWith(closing, at: cursor, caseInsensitive: true) { cursor += 1 }
        var text = String.UnicodeScalarView()
        var inner = index
        while inner < cursor {
            if input[inner] == "&", let (value, next) = HTMLEntities.decode(input, at: inner), next <= cursor {
                text.append(contentsOf: value)
                inner = next
            } else {
                text.append(input[inner])
                inner += 1
            }
        }
        index = cursor < input.count ? endOfTag(from: cursor + closing.count).next : input.count
        return String(text)
    }

    /// The index after the ">" closing a tag (quotes in attribute values respected), and whether
    /// the tag ended with "/>".
    func endOfTag(from start: Int) -> (next: Int, selfClosing: Bool) {
        var cursor = start
        var quote: Unicode.Scalar? = nil
        while cursor < input.count {
            let scalar = input[cursor]
            if let open = quote {
                if scalar == open { quote = nil }
            } else if scalar == "\"" || scalar == "'" {
                quote = scalar
            } else if scalar == ">" {
                return (cursor + 1, cursor > start && input[cursor - 1] == "/")
            }
            cursor += 1
        }
        return (input.count, false)
    }

    func position(after marker: String, from start: Int) -> Int {
        let pattern = Array(marker.unicodeScalars)
        var cursor = start
        while cursor < input.count {
            if startsWith(pattern, at: cursor) { return cursor + pattern.count }
            cursor += 1
        }
        return input.count
    }

    func startsWith(_ text: String, at position: Int) -> Bool { startsWith(Array(text.unicodeScalars), at: position) }

    func startsWith(_ pattern: [Unicode.Scalar], at position: Int, caseInsensitive: Bool = false) -> Bool {
        guard position + pattern.count <= input.count else { return false }
        for offset in 0..<pattern.count {
            var scalar = input[position + offset]
            if caseInsensitive, ("A"..."Z").contains(scalar) { scalar = Unicode.Scalar(UInt8(scalar.value + 32)) }
            if scalar != pattern[offset] { return false }
        }
        return true
    }

    func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
