import Foundation

/// What can go wrong reading a BEIR-format evaluation folder.
///
/// Every case names the file, and where it applies the 1-based line and what was expected
/// versus what was found, so that a broken dataset can be fixed without a debugger.
public enum EvaluationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A file the BEIR layout requires (`corpus.jsonl`, `queries.jsonl`, `qrels/<split>.tsv`) is absent.
    case missingFile(path: String)
    /// The file exists but could not be read (permissions, not UTF-8, …).
    case unreadableFile(path: String, reason: String)
    /// A line does not have the expected shape (bad JSON, missing `_id`, wrong field count, non-integer score).
    case malformedLine(path: String, line: Int, expected: String, found: String)
    /// The same id appears twice in `corpus.jsonl` or `queries.jsonl`.
    case duplicateID(path: String, line: Int, id: String)
    /// A qrels line names a query id that `queries.jsonl` does not contain.
    case unknownQuery(path: String, line: Int, queryID: String)
    /// The qrels file has a header but no judgement at all.
    case emptyQrels(path: String)

    public var description: String {
        switch self {
        case .missingFile(let path):
            return "\(path): file not found (a BEIR folder holds corpus.jsonl, queries.jsonl and qrels/<split>.tsv)"
        case .unreadableFile(let path, let reason):
            return "\(path): cannot be read: \(reason)"
        case .malformedLine(let path, let line, let expected, let found):
            return "\(path):\(line): expected \(expected), found \(found)"
        case .duplicateID(let path, let line, let id):
            return "\(path):\(line): id '\(id)' appears a second time"
        case .unknownQuery(let path, let line, let queryID):
            return "\(path):\(line): query id '\(queryID)' is not in queries.jsonl"
        case .emptyQrels(let path):
            return "\(path): no relevance judgements after the header"
        }
    }
}
