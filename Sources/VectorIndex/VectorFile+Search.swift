#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import Tensors

extension VectorFile {
    /// Records mapped and scanned at a time by one thread: 4096 × 1544 bytes = 6 MB at d = 384.
    public static let windowRecords = 4096
    /// Fewer records than this per thread and starting the thread costs more than it saves.
    static let minimumRecordsPerThread = 8192

    /// The `k` records nearest to `query` by squared L2 distance among the first `rowCount`
    /// (header), nearest first, ties by the smaller id, leaving out ids in `removed` and, when
    /// `allowed` is given, every id not in it.
    ///
    /// Exactly what ``FlatL2Index/search(_:k:)`` returns over the same vectors, bit for bit: each
    /// distance comes from the same kernel (``squaredL2(_:_:count:)``, same summation order) on
    /// the same floats, and the k smallest under the total order (distance, id) do not depend on
    /// which thread saw which row (see ``TopK``). The filters are applied only to rows whose
    /// distance could enter the selection, so they cost nothing on the other rows.
    ///
    /// Memory: each of ``Threads/count`` threads maps a window of ``windowRecords`` records
    /// (`MAP_POPULATE`: page-table entries for pages already in the page cache, no copy), scans it
    /// and unmaps it, so the process never holds more than a few windows however large the file:
    /// the page cache, not the process, holds the vectors between searches.
    public func search(_ query: [Float], k: Int, excluding removed: Set<Int64> = [], allowed: Set<Int64>? = nil,
                       threads requestedThreads: Int? = nil, windowRecords: Int = VectorFile.windowRecords) throws -> [Neighbor] {
        guard k >= 0 else { throw VectorIndexError.negativeK(k) }
        guard let header else { return [] }
        try checkQuery(query, dimension: header.dimension, subject: "query")
        let n = header.rowCount
        guard k > 0, n > 0 else { return [] }
        let windows = (n + windowRecords - 1) / windowRecords
        let threads = max(1, min(requestedThreads ?? min(Threads.count, max(1, n / Self.minimumRecordsPerThread)), windows))
        var partial = [TopK](repeating: TopK(k: k), count: threads)
        var failures = [VectorIndexError?](repeating: nil, count: threads)
        let nextWindow = Atomic<Int>(0)
        query.withUnsafeBufferPointer { q in
            partial.withUnsafeMutableBufferPointer { out in
                failures.withUnsafeMutableBufferPointer { failures in
                    parallelFor(threads) { workers in
                        for worker in workers {
                            var top = TopK(k: k)
                            do {
                                while true {
                                    let window = nextWindow.wrappingAdd(1, ordering: .relaxed).oldValue
                                    guard window < windows else { break }
                                    let rows = window * windowRecords ..< min(n, (window + 1) * windowRecords)
                                    try scanWindow(q.baseAddress!, rows: rows, header: header,
                                                   removed: removed, allowed: allowed, into: &top)
                                }
                            } catch {
                                failures[worker] = error as? VectorIndexError
                                    ?? .file(path: path, operation: "scan", code: EIO)
                            }
                            out[worker] = top
                        }
                    }
                }
            }
        }
        if let failure = failures.compactMap({ $0 }).first { throw failure }
        var merged = partial[0]
        for t in 1 ..< threads { merged.insert(contentsOf: partial[t]) }
        return merged.sorted()
    }

    /// Maps records `rows`, offers each to `top`, unmaps them.
    private func scanWindow(_ query: UnsafePointer<Float>, rows: Range<Int>, header: VectorFileHeader,
                            removed: Set<Int64>, allowed: Set<Int64>?, into top: inout TopK) throws {
        let recordBytes = header.recordBytes, d = header.dimension
        let start = VectorFile.offset(ofRecord: rows.lowerBound, recordBytes: recordBytes)
        let end = VectorFile.offset(ofRecord: rows.upperBound, recordBytes: recordBytes)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let mapStart = start / page * page
        #if os(Linux)
        let flags = MAP_SHARED | MAP_POPULATE
        #else
        let flags = MAP_SHARED
        #endif
        guard let map = mmap(nil, end - mapStart, PROT_READ, flags, descriptor, off_t(mapStart)), map != MAP_FAILED else {
            throw VectorIndexError.file(path: path, operation: "mmap", code: errno)
        }
        defer { munmap(map, end - mapStart) }
        var record = UnsafeRawPointer(map) + (start - mapStart)
        var threshold = top.threshold
        let filtered = !removed.isEmpty || allowed != nil
        for _ in rows {
            let distance = squaredL2(query, (record + 8).assumingMemoryBound(to: Float.self), count: d)
            if distance <= threshold {
                let id = Int64(littleEndian: record.loadUnaligned(as: Int64.self))
                if !filtered || (!removed.contains(id) && (allowed?.contains(id) ?? true)) {
                    top.insert(Neighbor(id: id, squaredDistance: distance))
                    threshold = top.threshold
                }
            }
            record += recordBytes
        }
    }
}

/// Refuses a query of the wrong length or with a non-finite value (as ``FlatL2Index`` does).
func checkQuery(_ query: [Float], dimension: Int, subject: String) throws {
    guard query.count == dimension else {
        throw VectorIndexError.dimensionMismatch(subject: subject, expected: dimension, found: query.count)
    }
    for (i, value) in query.enumerated() where !value.isFinite {
        throw VectorIndexError.nonFiniteValue(subject: subject, position: i, value: value)
    }
    let norm = query.withUnsafeBufferPointer { dot($0.baseAddress!, $0.baseAddress!, count: dimension) }
    if !norm.isFinite { throw VectorIndexError.squaredNormOverflow(subject: subject) }
}

/// The exact top k over vectors offered batch by batch (read from SQLite when no vector file
/// can be used): the same kernel, tie rule and filters as ``VectorFile/search(_:k:excluding:allowed:threads:windowRecords:)``,
/// on one thread, holding one batch at a time.
public struct ExactScan {
    let query: [Float]
    let dimension: Int
    let allowed: Set<Int64>?
    var top: TopK

    /// Checks the query (length `dimension`, finite) and `k` (not negative).
    public init(query: [Float], k: Int, dimension: Int, allowed: Set<Int64>? = nil) throws {
        guard k >= 0 else { throw VectorIndexError.negativeK(k) }
        try checkQuery(query, dimension: dimension, subject: "query")
        self.query = query
        self.dimension = dimension
        self.allowed = allowed
        top = TopK(k: k)
    }

    /// Offers `ids.count` vectors, row-major [ids.count, dimension] in `values`.
    public mutating func offer(ids: UnsafeBufferPointer<Int64>, values: UnsafeBufferPointer<Float>) {
        var threshold = top.threshold
        query.withUnsafeBufferPointer { q in
            for r in 0 ..< ids.count {
                let distance = squaredL2(q.baseAddress!, values.baseAddress! + r * dimension, count: dimension)
                if distance <= threshold, allowed?.contains(ids[r]) ?? true {
                    top.insert(Neighbor(id: ids[r], squaredDistance: distance))
                    threshold = top.threshold
                }
            }
        }
    }

    /// The nearest offered so far, nearest first (ties by the smaller id).
    public func nearest() -> [Neighbor] { top.sorted() }
}
