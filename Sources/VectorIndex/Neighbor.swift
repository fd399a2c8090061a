/// One search result: a stored vector's id (a chunk id) and its squared L2 distance to the query.
///
/// Neighbours order nearest first, and at equal distance by the smaller id, so that every
/// search has exactly one right answer whatever the thread count or the order of insertion.
public struct Neighbor: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The id the vector was added with.
    public let id: Int64
    /// `‖q − x‖² = Σ (q[i] − x[i])²`: the squared distance, not its square root.
    public let squaredDistance: Float

    /// A neighbour with the given id and squared distance.
    public init(id: Int64, squaredDistance: Float) {
        self.id = id
        self.squaredDistance = squaredDistance
    }

    /// `1 − d²/2`: the cosine similarity, valid only when query and vector are L2-normalised
    /// (then `‖q − x‖² = 2 − 2 q·x`). For other vectors it is not a cosine.
    public var cosineSimilarity: Float { 1 - squaredDistance / 2 }

    /// Nearer first; at equal distance the smaller id first.
    @inlinable
    public static func < (lhs: Neighbor, rhs: Neighbor) -> Bool {
        lhs.squaredDistance < rhs.squaredDistance
            || (lhs.squaredDistance == rhs.squaredDistance && lhs.id < rhs.id)
    }

    public var description: String { "Neighbor(id: \(id), squaredDistance: \(squaredDistance))" }
}
