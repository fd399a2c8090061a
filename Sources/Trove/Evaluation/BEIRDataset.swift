import Foundation

/// One document of a BEIR corpus (`corpus.jsonl`).
public struct BEIRDocument: Sendable, Equatable {
    /// The corpus id (`_id`), the id the qrels use.
    public let id: String
    /// The title; empty when the file has none.
    public let title: String
    /// The body text.
    public let text: String

    /// The text to index: `(title + " " + text)` with surrounding whitespace trimmed, as MTEB and
    /// sentence-transformers evaluate these sets (so an untitled document is just its text).
    public var indexedText: String {
        (title + " " + text).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// One query of a BEIR set. Only `_id` and `text` are read: `metadata` (which for SciFact holds the
/// gold evidence) is never decoded, so it cannot leak into a retriever or a prompt.
public struct BEIRQuery: Sendable, Equatable {
    /// The query id (`_id`), the id the qrels use.
    public let id: String
    /// The natural-language query.
    public let text: String
}

/// A BEIR-format folder loaded for one split:
///
///     folder/corpus.jsonl        {"_id", "title", "text", "metadata"} per line
///     folder/queries.jsonl       {"_id", "text", "metadata"} per line
///     folder/qrels/<split>.tsv   header, then query-id<TAB>corpus-id<TAB>score (CRLF tolerated)
///
/// Example:
///
///     let set = try BEIRDataset(folder: URL(fileURLWithPath: "../shared/datasets/scifact"), split: "test")
///     // set.corpus.count == 5183, set.queries.count == 300
public struct BEIRDataset: Sendable {
    /// The folder read.
    public let folder: URL
    /// The split whose qrels were read (`test`, `train`, `dev`).
    public let split: String
    /// Every document of `corpus.jsonl`, in file order.
    public let corpus: [BEIRDocument]
    /// The queries of this split (those listed in the qrels), in qrels order. Other queries of
    /// `queries.jsonl` (another split's) are left out, as BEIR's `GenericDataLoader` does.
    public let queries: [BEIRQuery]
    /// The split's relevance judgements.
    public let qrels: Qrels

    /// Reads the three files; throws ``EvaluationError`` naming the file and line of the first problem.
    public init(folder: URL, split: String = "test") throws {
        self.folder = folder
        self.split = split
        let corpusURL = folder.appendingPathComponent("corpus.jsonl")
        let queriesURL = folder.appendingPathComponent("queries.jsonl")
        let qrelsURL = folder.appendingPathComponent("qrels").appendingPathComponent("\(split).tsv")

        var corpus: [BEIRDocument] = []
        var seenDocuments = Set<String>()
        try Self.forEachJSONLine(of: corpusURL) { (row: CorpusLine, line) in
            guard seenDocuments.insert(row.id.value).inserted else {
                throw EvaluationError.duplicateID(path: corpusURL.path, line: line, id: row.id.value)
            }
            corpus.append(BEIRDocument(id: row.id.value, title: row.title ?? "", text: row.text))
        }

        var allQueries: [String: BEIRQuery] = [:]
        try Self.forEachJSONLine(of: queriesURL) { (row: QueryLine, line) in
            guard allQueries[row.id.value] == nil else {
                throw EvaluationError.duplicateID(path: queriesURL.path, line: line, id: row.id.value)
            }
            allQueries[row.id.value] = BEIRQuery(id: row.id.value, text: row.text)
        }

        let qrels = try Qrels(tsv: Self.readText(qrelsURL), path: qrelsURL.path)
        var queries: [BEIRQuery] = []
        for queryID in qrels.queryIDs {
            guard let query = allQueries[queryID] else {
                throw EvaluationError.unknownQuery(path: qrelsURL.path,
                                                   line: try Self.lineNumber(of: queryID, inQrels: qrelsURL),
                                                   queryID: queryID)
            }
            queries.append(query)
        }
        self.corpus = corpus
        self.queries = queries
        self.qrels = qrels
    }

    // MARK: - Reading

    /// `_id` is a string in BEIR, but some exports write numbers: accept both, keep the text.
    struct FlexibleID: Decodable {
        let value: String
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { value = text; return }
            value = String(try container.decode(Int.self))
        }
    }

    /// The fields read from a corpus line (`metadata` is not).
    struct CorpusLine: Decodable {
        let id: FlexibleID
        let title: String?
        let text: String
        enum CodingKeys: String, CodingKey { case id = "_id", title, text }
    }

    /// The fields read from a query line: deliberately no `metadata`.
    struct QueryLine: Decodable {
        let id: FlexibleID
        let text: String
        enum CodingKeys: String, CodingKey { case id = "_id", text }
    }

    static func readText(_ url: URL) throws -> String {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw EvaluationError.missingFile(path: url.path)
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw EvaluationError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw EvaluationError.unreadableFile(path: url.path, reason: "not valid UTF-8")
        }
        return text
    }

    /// Decodes each non-blank line of a JSON-lines file as `Row`, passing its 1-based line number.
    static func forEachJSONLine<Row: Decodable>(of url: URL, _ body: (Row, Int) throws -> Void) throws {
        let decoder = JSONDecoder()
        let text = try readText(url)
        for (index, line) in text.fileLines.enumerated() {
            if line.allSatisfy(\.isWhitespace) { continue }
            let row: Row
            do { row = try decoder.decode(Row.self, from: Data(line.utf8)) } catch {
                throw EvaluationError.malformedLine(path: url.path, line: index + 1,
                                                    expected: "a JSON object with \(Self.fieldNames(Row.self))",
                                                    found: "'\(line.prefix(80))' (\(Self.summary(of: error)))")
            }
            try body(row, index + 1)
        }
    }

    static func fieldNames<Row>(_ type: Row.Type) -> String {
        type == QueryLine.self ? "string \"_id\" and \"text\"" : "string \"_id\", \"text\" and optional \"title\""
    }

    /// A one-line reason from a `DecodingError` (its default description is a paragraph).
    static func summary(of error: Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _): return "no \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\""
        case .dataCorrupted: return "not valid JSON"
        default: return "\(error)"
        }
    }

    /// The 1-based line of the first qrels judgement for `queryID` (only used for error messages).
    static func lineNumber(of queryID: String, inQrels url: URL) throws -> Int {
        let lines = try readText(url).fileLines
        let index = lines.dropFirst().firstIndex { $0.split(separator: "\t").first.map(String.init) == queryID }
        return (index ?? 0) + 1
    }
}
