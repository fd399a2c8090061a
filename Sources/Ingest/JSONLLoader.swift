import Foundation

/// `.jsonl` corpora in the BEIR format: one JSON object per line, `{"_id", "title", "text"}`
/// (https://github.com/beir-cellar/beir/wiki/Load-your-custom-dataset).
///
/// Each record becomes one ``LoadedDocument`` with path `<file path>#<_id>` and format `.jsonl`.
/// Its text is `title + "\n\n" + text` when the title is non-empty (so the title is searchable and
/// embedded with the body, as BEIR's evaluation does), else `text` alone. `_id` may be a string or
/// a number. Blank lines are skipped; any other line that is not such an object is an error naming
/// the file and the 1-based line number, and the whole file is refused (a half-read corpus would
/// silently lose documents).
public enum JSONLLoader {
    /// Loads every record of a `.jsonl` file.
    public static func load(_ file: URL) throws -> [LoadedDocument] {
        let text = try DocumentLoader.readText(file)
        var documents: [LoadedDocument] = []
        var lineNumber = 0
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            documents.append(try record(Data(line), file: file.path, line: lineNumber))
        }
        return documents
    }

    /// Parses one line into a document.
    static func record(_ line: Data, file: String, line lineNumber: Int) throws -> LoadedDocument {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: line) } catch {
            throw LoaderError.malformedJSONLLine(file: file, line: lineNumber, problem: "not valid JSON")
        }
        guard let fields = object as? [String: Any] else {
            throw LoaderError.malformedJSONLLine(file: file, line: lineNumber, problem: "not a JSON object")
        }
        let id: String
        switch fields["_id"] {
        case let string as String where !string.isEmpty: id = string
        case let number as NSNumber: id = number.stringValue
        default: throw LoaderError.malformedJSONLLine(file: file, line: lineNumber, problem: "missing or empty \"_id\"")
        }
        guard let body = fields["text"] as? String else {
            throw LoaderError.malformedJSONLLine(file: file, line: lineNumber, problem: "record \(id) has no string \"text\"")
        }
        var title: String? = nil
        if let value = fields["title"], !(value is NSNull) {
            guard let string = value as? String else {
                throw LoaderError.malformedJSONLLine(file: file, line: lineNumber, problem: "record \(id) has a \"title\" that is not a string")
            }
            title = string.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : string
        }
        return LoadedDocument(path: "\(file)#\(id)", format: .jsonl, title: title,
                              text: title.map { $0 + "\n\n" + body } ?? body)
    }
}
