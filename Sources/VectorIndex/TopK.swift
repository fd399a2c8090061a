/// The `k` nearest neighbours seen so far: a bounded max-heap on (squaredDistance, id).
///
/// The root is the worst neighbour kept, so a candidate is tested against one number
/// (``threshold``) and only the rare ones that beat it pay for a heap update: O(n + m log k)
/// for n candidates of which m enter. Ties go to the smaller id (see ``Neighbor/<``), which makes
/// the kept set a function of the candidates alone, not of the order they arrive in; that is
/// why per-thread heaps can be merged into the same answer on any number of threads.
public struct TopK: Sendable {
    /// How many neighbours are kept at most.
    public let k: Int
    /// Max-heap: `heap[0]` is the worst kept neighbour; children of i at 2i+1, 2i+2.
    private var heap: [Neighbor]

    /// An empty selection of at most `k` neighbours (`k` below 0 is treated as 0).
    public init(k: Int) {
        self.k = max(0, k)
        heap = []
        heap.reserveCapacity(min(self.k, 1 << 16))
    }

    /// How many neighbours are kept now (at most `k`).
    public var count: Int { heap.count }

    /// The largest squared distance that can still enter: the worst kept one once `k` are kept,
    /// +infinity before. A candidate above it never enters; one equal to it enters only if its id
    /// is smaller than the worst kept one's.
    public var threshold: Float {
        heap.count < k ? .infinity : (k == 0 ? -.infinity : heap[0].squaredDistance)
    }

    /// Offers a candidate; it is kept if fewer than `k` are kept or it precedes the worst one.
    public mutating func insert(_ candidate: Neighbor) {
        if heap.count < k {
            heap.append(candidate)
            siftUp(heap.count - 1)
        } else if k > 0, candidate < heap[0] {
            heap[0] = candidate
            siftDown(0)
        }
    }

    /// Offers every neighbour kept by `other` (merging per-thread selections).
    public mutating func insert(contentsOf other: TopK) {
        for candidate in other.heap { insert(candidate) }
    }

    /// The kept neighbours, nearest first (ties by smaller id).
    public func sorted() -> [Neighbor] { heap.sorted() }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[parent] < heap[child] else { return }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let n = heap.count
        while true {
            let left = 2 * parent + 1
            guard left < n else { return }
            var largest = left
            if left + 1 < n, heap[left] < heap[left + 1] { largest = left + 1 }
            guard heap[parent] < heap[largest] else { return }
            heap.swapAt(parent, largest)
            parent = largest
        }
    }
}
