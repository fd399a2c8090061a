import Foundation

/// Relevance judgements of one split: query id → (document id → graded relevance).
///
/// A document is *relevant* when its grade is > 0 (trec_eval's default relevance level 1);
/// grades of 0 or below are kept (they are judged non-relevant) but add no gain.
/// The evaluated queries are exactly the queries listed here, in file order, as BEIR does
/// (`GenericDataLoader` keeps only the queries of the qrels).
public struct Qrels: Sendable, Equatable {
    /// Query ids in order of first appearance in the qrels file.
    public let queryIDs: [String]
    /// query id → document id → relevance grade.
    public let judgements: [String: [String: Int]]

    /// Builds qrels from a dictionary; queries are ordered by id so that reports are deterministic.
    public init(_ judgements: [String: [String: Int]]) {
        self.judgements = judgements
        self.queryIDs = judgements.keys.sorted()
    }

    /// Parses `query-id<TAB>corpus-id<TAB>score` lines after one header line. `\r\n` or `\n` line ends;
    /// blank lines are skipped. `path` is only used in error messages.
    ///
    ///     query-id	corpus-id	score
    ///     1	31715818	1
    public init(tsv text: String, path: String) throws {
        var order: [String] = []
        var judgements: [String: [String: Int]] = [:]
        for (index, line) in text.fileLines.enumerated() {
            let lineNumber = index + 1
            if lineNumber == 1 || line.isEmpty { continue }   // header, or the final newline
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3 else {
                throw EvaluationError.malformedLine(path: path, line: lineNumber,
                                                    expected: "3 tab-separated fields (query-id, corpus-id, score)",
                                                    found: "\(fields.count) field(s) in '\(line.prefix(80))'")
            }
            let scoreText = fields[2].trimmingCharacters(in: .whitespaces)
            guard let score = Int(scoreText) else {
                throw EvaluationError.malformedLine(path: path, line: lineNumber,
                                                    expected: "an integer relevance score", found: "'\(scoreText)'")
            }
            let queryID = String(fields[0]), documentID = String(fields[1])
            if judgements[queryID] == nil { order.append(queryID) }
            judgements[queryID, default: [:]][documentID] = score
        }
        guard !order.isEmpty else { throw EvaluationError.emptyQrels(path: path) }
        self.queryIDs = order
        self.judgements = judgements
    }

    /// The documents judged relevant (grade > 0) for `queryID`; empty for an unknown query.
    public func relevantDocuments(of queryID: String) -> Set<String> {
        Set((judgements[queryID] ?? [:]).compactMap { $0.value > 0 ? $0.key : nil })
    }

    /// Number of (query, document) judgements.
    public var pairCount: Int { judgements.values.reduce(0) { $0 + $1.count } }
}
