import Foundation
import GRDB

/// Which documents a search may return (`--path`, `--type`, `--since`, `--until`, `--collection`):
/// every condition given must hold; an empty filter allows every document.
///
/// - `paths`: glob patterns (`*`, `?`, `[…]`, as SQLite's GLOB, where `*` also crosses `/`); one
///   starting with `/` matches the whole path, any other the end of it after a `/`
///   (`library/*.html` matches `/usr/share/doc/python3.11/html/library/os.html`). Any may match.
/// - `types`: a format (`text`/`txt`, `markdown`/`md`, `html`/`htm`, `pdf`, `code`, `jsonl`,
///   `docx`, `odt`, `pptx`, `epub`) or else a file extension (`py` matches `*.py`). Any may match.
/// - `since` / `until`: the file's modification time when it was read, `since` ≤ mtime < `until`.
/// - `collections`: the collection a document was ingested into, by exact name. Any may match.
public struct DocumentFilter: Codable, Sendable, Equatable, CustomStringConvertible {
    public var paths: [String]
    public var types: [String]
    public var since: Date?
    public var until: Date?
    public var collections: [String]

    public init(paths: [String] = [], types: [String] = [], since: Date? = nil, until: Date? = nil,
                collections: [String] = []) {
        self.paths = paths
        self.types = types
        self.since = since
        self.until = until
        self.collections = collections
    }

    /// True when it allows every document.
    public var isEmpty: Bool { paths.isEmpty && types.isEmpty && since == nil && until == nil && collections.isEmpty }

    /// The filter as the command-line options that make it.
    public var description: String {
        var parts = paths.map { "--path \($0)" } + types.map { "--type \($0)" }
        let format = ISO8601DateFormatter()
        if let since { parts.append("--since \(format.string(from: since))") }
        if let until { parts.append("--until \(format.string(from: until))") }
        parts += collections.map { "--collection \($0)" }
        return parts.joined(separator: " ")
    }

    enum CodingKeys: String, CodingKey { case paths, types, since, until, collections }

    /// JSON: `{"paths": [glob…], "types": [type…], "since": ISO 8601, "until": ISO 8601,
    /// "collections": [name…]}`, each optional.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        paths = try container.decodeIfPresent([String].self, forKey: .paths) ?? []
        types = try container.decodeIfPresent([String].self, forKey: .types) ?? []
        func date(_ key: CodingKeys) throws -> Date? {
            guard let text = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
            guard let date = Self.date(text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container,
                                                       debugDescription: "not an ISO 8601 date: \(text)")
            }
            return date
        }
        since = try date(.since)
        until = try date(.until)
        collections = try container.decodeIfPresent([String].self, forKey: .collections) ?? []
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if !paths.isEmpty { try container.encode(paths, forKey: .paths) }
        if !types.isEmpty { try container.encode(types, forKey: .types) }
        let format = ISO8601DateFormatter()
        try container.encodeIfPresent(since.map(format.string(from:)), forKey: .since)
        try container.encodeIfPresent(until.map(format.string(from:)), forKey: .until)
        if !collections.isEmpty { try container.encode(collections, forKey: .collections) }
    }

    /// An ISO 8601 date and time, or a date alone (`2026-12-06`, midnight UTC).
    public static func date(_ text: String) -> Date? {
        if let date = ISO8601DateFormatter().date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        return day.date(from: text)
    }

    /// `types` names that are formats, by the names users type.
    static let formats: [String: String] = [
        "text": "text", "txt": "text", "markdown": "markdown", "md": "markdown", "html": "html",
        "htm": "html", "pdf": "pdf", "code": "code", "jsonl": "jsonl",
        "docx": "docx", "odt": "odt", "pptx": "pptx", "epub": "epub", "man": "man",
    ]

    /// The SQL condition on `documents` (alias-free column names) and its arguments.
    func condition() -> (sql: String, arguments: [DatabaseValueConvertible]) {
        var clauses: [String] = []
        var arguments: [DatabaseValueConvertible] = []
        if !paths.isEmpty {
            clauses.append("(" + paths.map { _ in "path GLOB ?" }.joined(separator: " OR ") + ")")
            arguments += paths.map { $0.hasPrefix("/") ? $0 : "*/" + $0 }
        }
        if !types.isEmpty {
            let formats = types.compactMap { Self.formats[$0.lowercased()] }
            let extensions = types.filter { Self.formats[$0.lowercased()] == nil }
            var any = formats.map { _ in "format = ?" }
            arguments += formats as [DatabaseValueConvertible]
            any += extensions.map { _ in "file_path GLOB ?" }
            arguments += extensions.map { "*." + $0.trimmingCharacters(in: CharacterSet(charactersIn: ".")) }
            clauses.append("(" + any.joined(separator: " OR ") + ")")
        }
        if let since {
            clauses.append("mtime >= ?")
            arguments.append(since.timeIntervalSince1970)
        }
        if let until {
            clauses.append("mtime < ?")
            arguments.append(until.timeIntervalSince1970)
        }
        if !collections.isEmpty {
            clauses.append("collection IN (" + collections.map { _ in "?" }.joined(separator: ", ") + ")")
            arguments += collections as [DatabaseValueConvertible]
        }
        return (clauses.isEmpty ? "1" : clauses.joined(separator: " AND "), arguments)
    }
}

extension IndexDatabase {
    /// The ids of the documents `filter` allows.
    public func documentIDs(matching filter: DocumentFilter) throws -> [Int64] {
        let (condition, arguments) = filter.condition()
        return try read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM documents WHERE \(condition)",
                               arguments: StatementArguments(arguments))
        }
    }
}
