import Foundation
import Store

/// Which document: by its id in the index, or by its path (as stored, absolute or relative to the
/// current directory, or a unique ending of a stored path such as `library/random.html`).
public enum DocumentReference: Sendable, Equatable {
    case id(Int64)
    case path(String)
}

/// A document's extracted text, whole or a part of it; the JSON of MCP's `get_document`.
public struct DocumentContent: Codable, Sendable, Equatable {
    public var document: DocumentSummary
    /// The text asked for: the lines, the characters, or all of it.
    public var text: String
    /// 1-based lines of the extracted text that `text` spans, and how many lines there are.
    public var lineStart: Int
    public var lineEnd: Int
    public var totalLines: Int
    /// Code-point offsets of `text` in the extracted text (as citations count them), and its length.
    public var start: Int
    public var end: Int
    public var totalCharacters: Int

    enum CodingKeys: String, CodingKey {
        case document, text, start, end
        case lineStart = "line_start"
        case lineEnd = "line_end"
        case totalLines = "total_lines"
        case totalCharacters = "total_characters"
    }
}

/// Why a document could not be found; names what was asked for.
public struct DocumentNotFound: Error, CustomStringConvertible {
    public let reference: DocumentReference
    public var description: String {
        switch reference {
        case .id(let id): return "no document has the id \(id) (trove list shows the ids)"
        case .path(let path): return "no document has the path \(path) (trove list shows the paths)"
        }
    }
}

extension TroveIndex {
    /// The extracted text of one document: `lines` (1-based, inclusive, clamped to the text) or
    /// `characters` (code-point offsets, as a citation's `start`/`end`), else all of it.
    public func document(_ reference: DocumentReference, lines: ClosedRange<Int>? = nil,
                         characters: Range<Int>? = nil) throws -> DocumentContent {
        let database = try database()
        return try during("reading a document of \(database.location)") {
            guard let document = try find(reference, in: database), let id = document.id else {
                throw DocumentNotFound(reference: reference)
            }
            let whole = Array((try database.documentText(id: id) ?? "").unicodeScalars)
            // Line starts as code-point offsets: line n spans lineStarts[n-1] ..< (next start or end).
            var lineStarts = [0]
            for (offset, scalar) in whole.enumerated() where scalar == "\n" { lineStarts.append(offset + 1) }
            var range = 0..<whole.count
            if let lines {
                let first = min(max(lines.lowerBound, 1), lineStarts.count)
                let last = min(max(lines.upperBound, first), lineStarts.count)
                range = lineStarts[first - 1]..<(last < lineStarts.count ? lineStarts[last] - 1 : whole.count)
            } else if let characters {
                let lower = min(max(characters.lowerBound, 0), whole.count)
                range = lower..<min(max(characters.upperBound, lower), whole.count)
            }
            let line = { (offset: Int) in lineStarts.lastIndex { $0 <= offset }! + 1 }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: whole[range])
            return DocumentContent(document: DocumentSummary(document, chunks: try database.chunkCount(ofDocument: id)),
                                   text: String(text), lineStart: line(range.lowerBound),
                                   lineEnd: line(max(range.lowerBound, range.upperBound - 1)),
                                   totalLines: lineStarts.count, start: range.lowerBound, end: range.upperBound,
                                   totalCharacters: whole.count)
        }
    }

    private func find(_ reference: DocumentReference, in database: IndexDatabase) throws -> Document? {
        switch reference {
        case .id(let id):
            return try database.document(id: id)
        case .path(let path):
            if let exact = try database.document(path: path) { return exact }
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            if let found = try database.document(path: absolute) { return found }
            // A unique ending of a stored path, at a folder boundary.
            let ending = path.hasPrefix("/") ? path : "/" + path
            let matches = try database.allDocuments().filter { $0.path.hasSuffix(ending) }
            return matches.count == 1 ? matches[0] : nil
        }
    }
}
