import Foundation

/// The merge table of a byte-level BPE vocabulary and the merge loop over one word.
///
/// Ranks live in a dictionary keyed by the pair of token ids (left << 32 | right), so a look-up
/// hashes one integer. A word starts as one token per byte; the loop then repeatedly merges the
/// adjacent pair of lowest rank (leftmost on ties) until no ranked pair is left, as llama.cpp's
/// `llm_tokenizer_bpe_session` does with its priority queue of bigrams.
struct BPEMerges: Sendable {
    struct Rule: Sendable {
        let rank: Int32
        let result: Int32
    }

    private let rules: [UInt64: Rule]
    /// Rules dropped because a side or the merged text is not in the vocabulary.
    let unusableRuleCount: Int

    /// Parses `merges` ("left right", split at the first space after the first byte, as
    /// llama.cpp does); rank = position in the list, the first of duplicate rules wins.
    init(merges: [String], idForText: [String: Int32], source: String) throws {
        var rules: [UInt64: Rule] = [:]
        rules.reserveCapacity(merges.count)
        var unusable = 0
        for (rank, rule) in merges.enumerated() {
            let utf8 = Array(rule.utf8)
            guard utf8.count >= 3, let space = utf8[1...].firstIndex(of: 0x20), space + 1 < utf8.count else {
                throw TokenizerError.malformedMerges(file: source, index: rank, reason: "'\(rule)' is not two tokens separated by a space")
            }
            let left = String(decoding: utf8[..<space], as: UTF8.self)
            let right = String(decoding: utf8[(space + 1)...], as: UTF8.self)
            guard let l = idForText[left], let r = idForText[right], let merged = idForText[left + right] else {
                unusable += 1
                continue
            }
            let key = UInt64(UInt32(bitPattern: l)) << 32 | UInt64(UInt32(bitPattern: r))
            if rules[key] == nil { rules[key] = Rule(rank: Int32(rank), result: merged) }
        }
        self.rules = rules
        unusableRuleCount = unusable
    }

    func rule(_ left: Int32, _ right: Int32) -> Rule? {
        rules[UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))]
    }

    /// Merges `symbols` (initially one token id per byte) in place and appends the result to `out`.
    func merge(_ symbols: [Int32], into out: inout [Int32]) {
        let n = symbols.count
        if n < 2 { out.append(contentsOf: symbols); return }
        var ids = symbols
        var next = Array(1 ... n) // n = none
        var prev = Array(-1 ..< n - 1) // -1 = none
        var queue = MergeQueue<Bigram>()
        for i in 0 ..< n - 1 {
            if let r = rule(ids[i], ids[i + 1]) { queue.push(Bigram(rank: r.rank, left: Int32(i), right: Int32(i + 1), leftID: ids[i], rightID: ids[i + 1], result: r.result)) }
        }
        while let b = queue.pop() {
            let l = Int(b.left), r = Int(b.right)
            // Stale if either side has merged since the pair was queued.
            guard ids[l] == b.leftID, ids[r] == b.rightID, next[l] == r else { continue }
            ids[l] = b.result
            ids[r] = -1
            next[l] = next[r]
            if next[r] < n { prev[next[r]] = l }
            if prev[l] >= 0, let rule = rule(ids[prev[l]], ids[l]) {
                queue.push(Bigram(rank: rule.rank, left: Int32(prev[l]), right: Int32(l), leftID: ids[prev[l]], rightID: ids[l], result: rule.result))
            }
            if next[l] < n, let rule = rule(ids[l], ids[next[l]]) {
                queue.push(Bigram(rank: rule.rank, left: Int32(l), right: Int32(next[l]), leftID: ids[l], rightID: ids[next[l]], result: rule.result))
            }
        }
        var i = 0
        while i < n { out.append(ids[i]); i = next[i] }
    }
}

/// A candidate merge of two adjacent symbols.
struct Bigram: MergeCandidate {
    let rank: Int32
    let left: Int32
    let right: Int32
    let leftID: Int32
    let rightID: Int32
    let result: Int32

    /// Lower rank first; on equal ranks the leftmost pair first (llama.cpp `llm_bigram_bpe::comparator`).
    func precedes(_ other: Bigram) -> Bool { rank != other.rank ? rank < other.rank : left < other.left }
}

/// Word (its bytes) → token ids, shared by all callers; cleared when it grows past `capacity`.
final class WordCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [[UInt8]: [Int32]] = [:]
    private let capacity: Int

    init(capacity: Int = 1 << 16) { self.capacity = capacity }

    func ids(for word: [UInt8]) -> [Int32]? {
        lock.lock(); defer { lock.unlock() }
        return entries[word]
    }

    func store(_ ids: [Int32], for word: [UInt8]) {
        lock.lock(); defer { lock.unlock() }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[word] = ids
    }
}
