import Foundation

/// `.jsonl` corpora in the BEIR format: one JSON object per line, `{"_id", "title", "text"}`
/// (https://github.com/beir-cellar/beir/wiki/Load-your-custom-dataset).
///
/// Each record becomes one ``LoadedDocument`` with path `<file path>#<_id>` and format `.jsonl`.
/// Its text is `title + "\n\n" + text` when the title is non-empty (so the title is searchable and
/// embedded with the body, as BEIR's evaluation does), else `text` alone. `_id` may be a string or
/// a number. Blank lines are skipped. Any other line that is not such an object is a
/// ``LoaderError/malformedJSONLLine(file:line:problem:)`` naming the file and the 1-based line:
/// ``loadRecords(_:limits:)`` (what an ingest uses) leaves that record out and lists it, so one bad
/// line does not lose the corpus; ``load(_:limits:)`` refuses the file. A file in which no line is
/// a record is refused either way (it is not a JSONL corpus).
public enum JSONLLoader {
    /// Loads every record of a `.jsonl` file, or throws the first malformed line.
    public static func load(_ file: URL, limits: FileSizeLimits = .current) throws -> [LoadedDocument] {
        let loaded = try loadRecords(file, limits: limits)
        if let malformed = loaded.malformedRecords.first { throw malformed }
        return loaded.documents
    }

    /// Loads the well-formed records of a `.jsonl` file and lists the malformed lines.
    public static func loadRecords(_ file: URL, limits: FileSizeLimits = .current) throws -> LoadedFile {
        let text = try DocumentLoader.readText(file, limit: limits.textBytes)
        var loaded = LoadedFile(documents: [])
        var lineNumber = 0
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            do {
                loaded.documents.append(try record(Data(line), file: file.path, line: lineNumber))
            } catch let error as LoaderError {
                loaded.malformedRecords.append(error)
            }
        }
        if loaded.documents.isEmpty, let first = loaded.malformedRecords.first { throw first }
        return loaded
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
