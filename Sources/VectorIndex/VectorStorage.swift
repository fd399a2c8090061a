#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tensors

/// The rows of a ``FlatL2Index``: one contiguous float32 buffer [capacity, dimension] (row r at
/// `values + r * dimension`), with each row's id and squared norm ‖x‖² beside it.
///
/// One allocation, so a search is a single sequential read of `count × dimension × 4` bytes that
/// the hardware prefetcher can follow. Large buffers are aligned to 2 MiB and advised for
/// transparent huge pages: 1M × 384 floats is 1.5 GB, 375k ordinary 4 KiB pages but 733 huge ones,
/// which keeps the streaming read free of TLB misses.
///
/// A reference type so that ``FlatL2Index`` can copy it on write; it is never mutated while shared
/// (the index checks `isKnownUniquelyReferenced` first), hence `@unchecked Sendable`.
final class VectorStorage: @unchecked Sendable {
    let dimension: Int
    private(set) var values: UnsafeMutablePointer<Float>
    private(set) var capacity: Int
    private(set) var count = 0
    /// ids[r] is the id of row r.
    private(set) var ids: [Int64] = []
    /// squaredNorms[r] = ‖row r‖², for the `‖x‖² − 2q·x + ‖q‖²` form of batched search.
    private(set) var squaredNorms: [Float] = []
    private(set) var rowOfID: [Int64: Int] = [:]
    /// An upper bound of ‖x‖² over the rows (it is not lowered when rows are removed).
    private(set) var maxSquaredNorm: Float = 0

    init(dimension: Int, capacity: Int) {
        self.dimension = dimension
        self.capacity = max(1, capacity)
        self.values = VectorStorage.allocate(rows: self.capacity, dimension: dimension)
    }

    deinit { free(values) }

    /// A deep copy (copy-on-write of the index).
    func copy() -> VectorStorage {
        let other = VectorStorage(dimension: dimension, capacity: count)
        other.values.update(from: values, count: count * dimension)
        other.count = count
        other.ids = ids
        other.squaredNorms = squaredNorms
        other.rowOfID = rowOfID
        other.maxSquaredNorm = maxSquaredNorm
        return other
    }

    /// Pointer to the first float of row `r`.
    @inline(__always)
    func row(_ r: Int) -> UnsafePointer<Float> { UnsafePointer(values + r * dimension) }

    /// Makes room for `extra` more rows (growing by at least half, so appends stay amortised O(1)).
    func reserve(extra: Int) {
        let needed = count + extra
        guard needed > capacity else { return }
        let newCapacity = max(needed, capacity + capacity / 2)
        let newValues = VectorStorage.allocate(rows: newCapacity, dimension: dimension)
        newValues.update(from: values, count: count * dimension)
        free(values)
        values = newValues
        capacity = newCapacity
        ids.reserveCapacity(newCapacity)
        squaredNorms.reserveCapacity(newCapacity)
        rowOfID.reserveCapacity(newCapacity)
    }

    /// Appends `newIDs.count` rows from `rows` ([newIDs.count, dimension]) in one pass: each row is
    /// copied, then `squaredNorm(copy, id)` gives its ‖x‖² (while the copy is still in L1).
    /// If that throws for any row nothing is appended: the rows copied so far lie beyond `count`,
    /// where no search looks. The caller has checked that the ids are new.
    func append(ids newIDs: [Int64], rows: UnsafePointer<Float>,
                squaredNorm: (UnsafePointer<Float>, Int64) throws -> Float) rethrows {
        reserve(extra: newIDs.count)
        var norms = [Float]()
        norms.reserveCapacity(newIDs.count)
        for (r, id) in newIDs.enumerated() {
            let destination = values + (count + r) * dimension
            destination.update(from: rows + r * dimension, count: dimension)
            norms.append(try squaredNorm(destination, id))
        }
        for (r, id) in newIDs.enumerated() { rowOfID[id] = count + r }
        ids.append(contentsOf: newIDs)
        squaredNorms.append(contentsOf: norms)
        maxSquaredNorm = max(maxSquaredNorm, norms.max() ?? 0)
        count += newIDs.count
    }

    /// Removes row `r` by moving the last row into its place: O(dimension), and row order is
    /// not part of any result (ties are broken by id).
    func remove(row r: Int) {
        let last = count - 1
        rowOfID[ids[r]] = nil
        if r != last {
            (values + r * dimension).update(from: values + last * dimension, count: dimension)
            ids[r] = ids[last]
            squaredNorms[r] = squaredNorms[last]
            rowOfID[ids[r]] = r
        }
        ids.removeLast()
        squaredNorms.removeLast()
        count = last
    }

    private static let hugePage = 2 << 20

    /// Uninitialised room for `rows × dimension` floats: 64-byte aligned (a cache line), or
    /// 2 MiB aligned with a transparent-huge-page hint once the buffer spans a huge page.
    private static func allocate(rows: Int, dimension: Int) -> UnsafeMutablePointer<Float> {
        let bytes = max(1, rows * dimension) * MemoryLayout<Float>.stride
        let alignment = bytes >= hugePage ? hugePage : 64
        let rounded = (bytes + alignment - 1) / alignment * alignment
        var raw: UnsafeMutableRawPointer? = nil
        guard posix_memalign(&raw, alignment, rounded) == 0, let raw else {
            // Out of memory is not a data error: there is nothing sensible to continue with.
            fatalError("vector index: cannot allocate \(rounded) bytes for \(rows) rows of \(dimension) floats")
        }
        #if canImport(Glibc)
        if alignment == hugePage { _ = madvise(raw, rounded, Int32(MADV_HUGEPAGE)) }
        #endif
        return raw.bindMemory(to: Float.self, capacity: rows * dimension)
    }
}
