import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One XML part of a zip-based document (`word/document.xml`, `content.xml`, a slide, an OPF
/// package file), parsed by Foundation's `XMLParser` into a tree of elements with their
/// namespaces resolved.
///
/// Names are matched by namespace URI and local name, never by prefix: `w:p` is
/// `(wordprocessingML, "p")` whatever prefix a producer chose. Attributes without a prefix are
/// keyed by their local name, prefixed ones by `{namespace}local`, so `r:id` and `id` on one
/// PowerPoint `sldId` stay apart.
///
/// Bad input is an error, never a crash or a blow-up: a part that is neither UTF-8 nor UTF-16, a
/// processing instruction without data (both crash Foundation's parser) and a document type that
/// declares entities (the "billion laughs" expansion) are refused before parsing, and elements
/// nested deeper than ``maximumDepth`` are refused (the loaders walk the tree recursively).
struct XMLTree {
    /// A node's content: an element or a run of character data.
    enum Node {
        case element(Element)
        case text(String)
    }

    /// An element with its resolved name, its attributes and its content in document order.
    struct Element {
        var namespace: String
        var name: String
        var attributes: [String: String]
        var children: [Node]

        /// The child elements, in order.
        var elements: [Element] {
            children.compactMap { if case let .element(element) = $0 { return element } else { return nil } }
        }

        /// Whether this is `name` in `namespace`.
        func `is`(_ name: String, in namespace: String) -> Bool { self.name == name && self.namespace == namespace }

        /// The first child element `name` in `namespace`.
        func child(_ name: String, in namespace: String) -> Element? {
            for case let .element(element) in children where element.is(name, in: namespace) { return element }
            return nil
        }

        /// Every descendant element `name` in `namespace`, in document order (depth first).
        func descendants(_ name: String, in namespace: String) -> [Element] {
            var found: [Element] = []
            for case let .element(element) in children {
                if element.is(name, in: namespace) { found.append(element) }
                found += element.descendants(name, in: namespace)
            }
            return found
        }

        /// An attribute by local name: without a prefix when `namespace` is nil.
        func attribute(_ name: String, in namespace: String? = nil) -> String? {
            attributes[namespace.map { "{\($0)}\(name)" } ?? name]
        }

        /// All character data below this element, concatenated.
        var text: String {
            children.map { node in
                switch node {
                case let .text(text): return text
                case let .element(element): return element.text
                }
            }.joined()
        }
    }

    /// Deepest nesting of elements accepted (real documents stay far below: a table in a table in
    /// a list is about 20 levels of WordprocessingML).
    static let maximumDepth = 256

    /// `<!ENTITY` in UTF-8, UTF-16LE and UTF-16BE: the encodings an XML part may be in.
    static let entityDeclarationMarkers: [Data] = {
        let ascii = Array("<!ENTITY".utf8)
        return [Data(ascii), Data(ascii.flatMap { [$0, 0] }), Data(ascii.flatMap { [0, $0] })]
    }()

    /// The document element.
    let root: Element

    /// Parses `data`, the part `part` of `file`; throws ``LoaderError/malformedDocument(file:part:problem:)``.
    init(parsing data: Data, part: String, file: String) throws {
        if Self.entityDeclarationMarkers.contains(where: { data.range(of: $0) != nil }) {
            throw LoaderError.malformedDocument(file: file, part: part,
                                                problem: "declares XML entities, which are refused (entity expansion)")
        }
        if let offset = Self.firstInvalidUTF8Byte(data) {
            throw LoaderError.malformedDocument(file: file, part: part,
                                                problem: "is not UTF-8 (an invalid byte at offset \(offset)); the zip-based formats are UTF-8 or UTF-16")
        }
        if let offset = Self.firstProcessingInstructionWithoutData(data) {
            throw LoaderError.malformedDocument(file: file, part: part,
                                                problem: "holds a processing instruction without data (<?name?>) at offset \(offset), which is refused")
        }
        let builder = TreeBuilder()
        // Fed as a stream, a piece at a time: given all of it at once, libxml2 refuses a part
        // over 10 MB ("huge input lookup", XML_MAX_LOOKUP_LIMIT), and Word's document.xml of a
        // long book is larger than that.
        let parser = XMLParser(stream: InputStream(data: data))
        parser.shouldProcessNamespaces = false       // resolved here, so prefixes are never trusted
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        let parsed = parser.parse()
        if let problem = builder.problem {
            throw LoaderError.malformedDocument(file: file, part: part, problem: problem)
        }
        guard parsed, let root = builder.root else {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "no document element"
            throw LoaderError.malformedDocument(file: file, part: part,
                                                problem: "is not well-formed XML (line \(parser.lineNumber): \(reason))")
        }
        self.root = root
    }
}

extension XMLTree {
    /// Where `data` stops being UTF-8, nil if it is UTF-8 throughout or UTF-16 (a byte-order
    /// mark: libxml2 converts it). Foundation's `XMLParser` force-unwraps each element and
    /// attribute name as UTF-8, and libxml2, fed a stream, passes invalid bytes through: one such
    /// byte in a name crashed the process (found by the `docx`, `odt`, `pptx`, `epub` and `zip`
    /// fuzz targets, Fuzz/Regressions).
    static func firstInvalidUTF8Byte(_ data: Data) -> Int? {
        if data.starts(with: [0xFE, 0xFF]) || data.starts(with: [0xFF, 0xFE]) { return nil }
        var parser = Unicode.UTF8.ForwardParser()
        var bytes = data.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &bytes) {
            case let .valid(scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}

extension XMLTree {
    /// Where the first processing instruction with a target and nothing else (`<?x?>`) starts,
    /// nil if there is none: libxml2 reports its data as a null pointer, which Foundation's
    /// `XMLParser` reads, crashing the process (found by the `pptx` fuzz target, Fuzz/Regressions).
    static func firstProcessingInstructionWithoutData(_ data: Data) -> Int? {
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Int? in
            var i = 0
            while i + 1 < bytes.count {
                guard bytes[i] == UInt8(ascii: "<"), bytes[i + 1] == UInt8(ascii: "?") else { i += 1; continue }
                var end = i + 2                      // past the target's name
                while end < bytes.count, ![0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "?")].contains(bytes[end]) { end += 1 }
                if end + 1 < bytes.count, bytes[end] == UInt8(ascii: "?"), bytes[end + 1] == UInt8(ascii: ">") { return i }
                i = end
            }
            return nil
        }
    }
}

/// Builds ``XMLTree/Element``s from `XMLParser` events, resolving namespace prefixes with a stack
/// of the `xmlns` declarations in scope.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    var root: XMLTree.Element?
    var problem: String?
    private var open: [XMLTree.Element] = []
    private var scopes: [[String: String]] = [["xml": "http://www.w3.org/XML/1998/namespace"]]
    private var pendingText = ""

    /// Ends the run of character data before an element starts or ends.
    private func flushText() {
        guard !pendingText.isEmpty, !open.isEmpty else { return }
        open[open.count - 1].children.append(.text(pendingText))
        pendingText = ""
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        guard open.count < XMLTree.maximumDepth else {
            problem = "nests elements deeper than \(XMLTree.maximumDepth) levels (line \(parser.lineNumber))"
            parser.abortParsing()
            return
        }
        flushText()
        var scope = scopes[scopes.count - 1]
        for (key, value) in attributes {
            if key == "xmlns" { scope[""] = value } else if key.hasPrefix("xmlns:") { scope[String(key.dropFirst(6))] = value }
        }
        scopes.append(scope)
        let (prefix, local) = Self.split(elementName)
        var resolved: [String: String] = [:]
        for (key, value) in attributes where key != "xmlns" && !key.hasPrefix("xmlns:") {
            let (attributePrefix, attributeName) = Self.split(key)
            if attributePrefix.isEmpty { resolved[attributeName] = value }
            else { resolved["{\(scope[attributePrefix] ?? attributePrefix)}\(attributeName)"] = value }
        }
        open.append(XMLTree.Element(namespace: scope[prefix] ?? "", name: local, attributes: resolved, children: []))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        flushText()
        guard let element = open.popLast() else { return }
        scopes.removeLast()
        if open.isEmpty { root = element } else { open[open.count - 1].children.append(.element(element)) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        // Character data arrives in pieces; they are gathered and kept as one text node.
        if !open.isEmpty { pendingText += string }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        self.parser(parser, foundCharacters: String(decoding: CDATABlock, as: UTF8.self))
    }

    /// `w:p` → ("w", "p"); `p` → ("", "p").
    private static func split(_ name: String) -> (prefix: String, local: String) {
        guard let colon = name.firstIndex(of: ":") else { return ("", name) }
        return (String(name[..<colon]), String(name[name.index(after: colon)...]))
    }
}
