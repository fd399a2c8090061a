import Tensors

/// Exact nearest-neighbour search by squared L2 distance over vectors held in memory.
///
/// The vectors live in one contiguous float32 buffer [count, dimension] with their Int64 ids
/// (chunk ids). A search compares the query with every row and keeps the `k` nearest: there is no
/// approximation, and ties go to the smaller id, so the answer is unique and the same on any
/// number of threads. It is a value type (copy on write): a copy can be searched while the
/// original is changed. Memory: 4 × dimension bytes per vector plus about 40 for its id, norm
/// and id-to-row map entry (1M × 384 is 1.5 GB); building copies the values into the index's
/// own buffer.
///
/// ```swift
/// let (ids, values) = try database.loadVectors()          // [n] chunk ids, [n × 384] floats
/// var index = try FlatL2Index(ids: ids, values: values, dimension: 384)
/// let nearest = try index.search(queryVector, k: 10)      // [Neighbor], nearest first
/// try index.add(ids: [42], values: newVector)
/// index.remove(id: 7)
/// ```
public struct FlatL2Index: Sendable {
    /// How many floats each vector has.
    public let dimension: Int
    var storage: VectorStorage

    /// An empty index of vectors with `dimension` floats.
    public init(dimension: Int) throws {
        guard dimension > 0 else { throw VectorIndexError.invalidDimension(dimension) }
        self.dimension = dimension
        storage = VectorStorage(dimension: dimension, capacity: 0)
    }

    /// An index over `ids.count` vectors: row r is `values[r * dimension ..< (r + 1) * dimension]`
    /// (the layout `loadVectors()` returns). Throws on a count mismatch, a duplicate id, or a
    /// non-finite value.
    public init(ids: [Int64], values: [Float], dimension: Int) throws {
        try self.init(dimension: dimension)
        try add(ids: ids, values: values)
    }

    /// How many vectors the index holds.
    public var count: Int { storage.count }

    /// The ids held, in storage order (which changes when vectors are removed).
    public var ids: [Int64] { storage.ids }

    /// Whether a vector with this id is held.
    public func contains(id: Int64) -> Bool { storage.rowOfID[id] != nil }

    /// A copy of the vector stored under `id`, or nil if there is none.
    public func vector(id: Int64) -> [Float]? {
        guard let r = storage.rowOfID[id] else { return nil }
        return Array(UnsafeBufferPointer(start: storage.row(r), count: dimension))
    }

    /// Adds `ids.count` vectors laid out row after row in `values` ([ids.count, dimension]).
    ///
    /// Everything is checked before anything is stored, so a refused call leaves the index as it
    /// was: `values.count` must be `ids.count × dimension`, each id new (and not repeated), and
    /// each vector finite with a finite ‖x‖².
    public mutating func add(ids: [Int64], values: [Float]) throws {
        try values.withUnsafeBufferPointer { try add(ids: ids, values: $0) }
    }

    /// ``add(ids:values:)`` over floats that are not in an array (a mapped file, say).
    public mutating func add(ids: [Int64], values: UnsafeBufferPointer<Float>) throws {
        guard values.count == ids.count * dimension else {
            throw VectorIndexError.valueCountMismatch(ids: ids.count, dimension: dimension, found: values.count)
        }
        guard !ids.isEmpty, let base = values.baseAddress else { return }
        var seen = Set<Int64>(minimumCapacity: ids.count)
        for id in ids where storage.rowOfID[id] != nil || !seen.insert(id).inserted {
            throw VectorIndexError.duplicateID(id)
        }
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        try storage.append(ids: ids, rows: base) { row, id in
            try checkedSquaredNorm(row, subject: "vector with id \(id)")
        }
    }

    /// Adds one vector of `dimension` floats under `id`.
    public mutating func add(id: Int64, vector: [Float]) throws {
        guard vector.count == dimension else {
            throw VectorIndexError.dimensionMismatch(subject: "vector with id \(id)", expected: dimension, found: vector.count)
        }
        try add(ids: [id], values: vector)
    }

    /// Removes the vector stored under `id`; returns whether there was one.
    @discardableResult
    public mutating func remove(id: Int64) -> Bool {
        guard let r = storage.rowOfID[id] else { return false }
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        storage.remove(row: r)
        return true
    }

    /// Removes every vector whose id is in `ids`; returns how many were held.
    @discardableResult
    public mutating func remove(ids: some Sequence<Int64>) -> Int {
        var removed = 0
        for id in ids where remove(id: id) { removed += 1 }
        return removed
    }

    /// ‖x‖² of `dimension` floats at `x`, refusing NaN, ±infinity and an overflowing square.
    ///
    /// One SIMD pass: ‖x‖² is finite exactly when every value is finite and not too large, so
    /// the value-by-value scan runs only to name the culprit in the error.
    func checkedSquaredNorm(_ x: UnsafePointer<Float>, subject: @autoclosure () -> String) throws -> Float {
        let norm = dot(x, x, count: dimension)
        if norm.isFinite { return norm }
        for i in 0..<dimension where !x[i].isFinite {
            throw VectorIndexError.nonFiniteValue(subject: subject(), position: i, value: x[i])
        }
        throw VectorIndexError.squaredNormOverflow(subject: subject())
    }

    /// Checks a query's length and values; returns ‖q‖².
    func checkedQuery(_ query: UnsafeBufferPointer<Float>, subject: @autoclosure () -> String) throws -> Float {
        guard query.count == dimension else {
            throw VectorIndexError.dimensionMismatch(subject: subject(), expected: dimension, found: query.count)
        }
        guard let base = query.baseAddress else { return 0 }   // dimension ≥ 1, so not reached
        return try checkedSquaredNorm(base, subject: subject())
    }
}
