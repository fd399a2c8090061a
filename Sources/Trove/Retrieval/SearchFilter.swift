import Store

/// Which documents a search may return: `--path`, `--type`, `--since`, `--until` (see
/// ``DocumentFilter``). Applied inside the ranking: the exact scan skips vectors outside it and
/// BM25 ranks only the documents it allows, so a filter never shortens the list to fewer than k.
public typealias SearchFilter = DocumentFilter

/// A filter that allows no document of the index: said, rather than answered with nothing.
public struct FilterMatchesNothing: Error, CustomStringConvertible, Sendable {
    public let filter: SearchFilter
    public var description: String { "no document of the index matches the filter \(filter)" }
}
