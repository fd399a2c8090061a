#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything the vector index refuses, each case naming the item and expected vs found.
///
/// A refused call changes nothing: `add` validates every vector before it stores any.
public enum VectorIndexError: Error, CustomStringConvertible, Sendable {
    /// An index was asked for a dimension that is not positive.
    case invalidDimension(Int)
    /// A query or vector has `found` values where the index holds vectors of `expected`.
    /// `subject` names it: "query", "query 3" (0-based in a batch), "vector with id 17".
    case dimensionMismatch(subject: String, expected: Int, found: Int)
    /// `add(ids:values:)` was given `ids` ids but `found` values, not `ids × dimension`.
    case valueCountMismatch(ids: Int, dimension: Int, found: Int)
    /// A query or vector holds NaN or ±infinity at `position` (0-based).
    case nonFiniteValue(subject: String, position: Int, value: Float)
    /// Every value is finite but ‖x‖² overflows float32, so no distance to it would be finite.
    case squaredNormOverflow(subject: String)
    /// The id is already in the index, or given twice in one `add`.
    case duplicateID(Int64)
    /// A search asked for a negative number of neighbours.
    case negativeK(Int)
    /// A system call on a vector file failed (`code` is errno).
    case file(path: String, operation: String, code: Int32)

    public var description: String {
        switch self {
        case .invalidDimension(let d):
            return "vector index: dimension must be at least 1, found \(d)"
        case .dimensionMismatch(let subject, let expected, let found):
            return "vector index: \(subject) has \(found) values, expected \(expected) (the index dimension)"
        case .valueCountMismatch(let ids, let dimension, let found):
            return "vector index: \(ids) ids × dimension \(dimension) needs \(ids * dimension) values, found \(found)"
        case .nonFiniteValue(let subject, let position, let value):
            return "vector index: \(subject) holds \(value) at position \(position), expected a finite number"
        case .squaredNormOverflow(let subject):
            return "vector index: \(subject) has a squared length beyond the float32 range (values too large)"
        case .duplicateID(let id):
            return "vector index: id \(id) is already in the index (ids must be unique)"
        case .negativeK(let k):
            return "vector index: asked for \(k) neighbours, expected 0 or more"
        case .file(let path, let operation, let code):
            return "vector file \(path): \(operation) failed: \(String(cString: strerror(code))) (errno \(code))"
        }
    }
}
