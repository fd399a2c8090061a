import Foundation

/// Everything that can go wrong with an index file. Each case names the index file (its path, or
/// `:memory:`), the item concerned and, where there is one, the failing SQL or expected vs found.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// SQLite refused a statement (or could not open the file). `sql` is the statement, if any.
    case sqlite(file: String, sql: String?, message: String)
    /// The index was built with another encoder; mixing embeddings from two models is meaningless.
    case encoderMismatch(file: String, storedIdentity: String, storedDimension: Int,
                         givenIdentity: String, givenDimension: Int)
    /// The index's vectors were computed in another encoder precision (`encoder_precision`).
    case encoderPrecisionMismatch(file: String, stored: String, given: String)
    /// Vectors were written before any encoder was recorded with `ensureEncoder`.
    case encoderNotRecorded(file: String, document: String)
    /// A vector's length differs from the dimension recorded in `metadata`.
    case dimensionMismatch(file: String, document: String, chunk: Int, expected: Int, found: Int)
    /// `replaceDocument` got a different number of vectors than chunks.
    case vectorCountMismatch(file: String, document: String, chunks: Int, vectors: Int)
    /// A stored embedding BLOB whose byte length is not 4 × dimension.
    case corruptVector(file: String, chunkID: Int64, bytes: Int, expectedBytes: Int)
    /// `moveDocument` was asked to move a path that is not in the index.
    case documentNotFound(file: String, path: String)
    /// `moveDocument` was asked to move onto a path the index already holds.
    case pathTaken(file: String, path: String)
    /// The file was written by a newer Trove (it holds migrations this build does not know).
    case newerSchema(file: String, unknownMigrations: [String])
    /// A `metadata` value that cannot be read (e.g. a dimension that is not a positive integer).
    case corruptMetadata(file: String, key: String, value: String)
    /// A file opened read-only that lacks migrations this build needs (open it writable once).
    case outdatedSchema(file: String, missingMigrations: [String])

    /// One line naming the index file and what went wrong.
    public var description: String {
        switch self {
        case let .sqlite(file, sql, message):
            if let sql { return "index \(file): \(message) (while executing `\(sql)`)" }
            return "index \(file): \(message)"
        case let .encoderMismatch(file, storedIdentity, storedDimension, givenIdentity, givenDimension):
            return "index \(file) was built with encoder '\(storedIdentity)' (dimension \(storedDimension)), "
                + "not '\(givenIdentity)' (dimension \(givenDimension)); use the same model or a new index"
        case let .encoderPrecisionMismatch(file, stored, given):
            return "index \(file) holds \(stored) vectors (metadata encoder_precision), not \(given); "
                + "use --encoder-precision \(stored) (or leave it out) with this index, or a new index for \(given)"
        case let .encoderNotRecorded(file, document):
            return "index \(file): no encoder recorded before writing vectors of '\(document)' (call ensureEncoder first)"
        case let .dimensionMismatch(file, document, chunk, expected, found):
            return "index \(file): vector of chunk \(chunk) of '\(document)' has \(found) values, expected \(expected)"
        case let .vectorCountMismatch(file, document, chunks, vectors):
            return "index \(file): '\(document)' has \(chunks) chunks but \(vectors) vectors"
        case let .corruptVector(file, chunkID, bytes, expectedBytes):
            return "index \(file): embedding of chunk \(chunkID) is \(bytes) bytes, expected \(expectedBytes)"
        case let .documentNotFound(file, path):
            return "index \(file) holds no document '\(path)'"
        case let .pathTaken(file, path):
            return "index \(file) already holds a document '\(path)'"
        case let .newerSchema(file, unknownMigrations):
            return "index \(file) was written by a newer Trove (unknown migrations: "
                + "\(unknownMigrations.joined(separator: ", "))); upgrade Trove to open it"
        case let .corruptMetadata(file, key, value):
            return "index \(file): metadata '\(key)' has unreadable value '\(value)'"
        case let .outdatedSchema(file, missingMigrations):
            return "index \(file) needs migrations \(missingMigrations.joined(separator: ", ")); "
                + "open it once without --read-only to upgrade it"
        }
    }
}
