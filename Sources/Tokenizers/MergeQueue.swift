/// A candidate merge that knows which of two goes first: a BPE ``Bigram`` (lower rank, then
/// leftmost) or a SentencePiece pair (higher score, then leftmost).
protocol MergeCandidate {
    func precedes(_ other: Self) -> Bool
}

/// The merge candidates of one word, as a binary heap: the one that ``MergeCandidate/precedes(_:)``
/// all others comes out first (llama.cpp's `llm_bigram_*` priority queues).
struct MergeQueue<Candidate: MergeCandidate> {
    private var heap: [Candidate] = []

    mutating func push(_ candidate: Candidate) {
        heap.append(candidate)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Candidate? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let l = 2 * parent + 1, r = l + 1
                var best = parent
                if l < heap.count, heap[l].precedes(heap[best]) { best = l }
                if r < heap.count, heap[r].precedes(heap[best]) { best = r }
                if best == parent { break }
                heap.swapAt(parent, best)
                parent = best
            }
        }
        return top
    }
}
