import Foundation

/// BERT's WordPiece tokenizer: ``BasicTokenizer`` words, each split by greedy longest match
/// against the vocabulary (`##` marks a piece that continues a word), as HF tokenizers'
/// `WordPiece` model (tokenizers/src/models/wordpiece/mod.rs):
///
/// - a word of more than `maxInputCharsPerWord` (100) characters is one `[UNK]`;
/// - at each position the longest vocabulary piece is taken; if none matches, the whole word
///   (not only the rest) becomes one `[UNK]`.
///
/// Special tokens written in the text (`[CLS]`, `[SEP]`, `[PAD]`, `[UNK]`, `[MASK]`, exact case)
/// are matched before normalisation and become their own id, as HF's added-token vocabulary does
/// (tokenizer.json lists them with `normalized: false`).
///
/// ``encode(_:maxLength:)`` adds `[CLS]` … `[SEP]` and truncates to `maxLength` ids in all.
///
/// Example:
/// ```swift
/// let tokenizer = try WordPieceTokenizer(vocabularyFile: folder.appendingPathComponent("vocab.txt"))
/// tokenizer.encode("Hello world", maxLength: 256)   // [101, 7592, 2088, 102]
/// ```
public struct WordPieceTokenizer: Sendable {
    /// The pieces and their ids.
    public let vocabulary: WordPieceVocabulary
    /// Words longer than this (in Unicode scalars) become `[UNK]`.
    public let maxInputCharsPerWord: Int
    /// Ids of `[UNK]`, `[CLS]`, `[SEP]` and `[PAD]`.
    public let unknownID: Int32, classifierID: Int32, separatorID: Int32, paddingID: Int32
    /// The longest piece in bytes, with `##` removed: no longer match is ever tried.
    private let longestPiece: Int
    /// The special tokens matched in raw text, with their ids.
    private let specialTokens: [(utf8: [UInt8], id: Int32)]

    /// Reads `vocab.txt`; throws naming the file if it is unreadable or lacks a special token.
    public init(vocabularyFile: URL, maxInputCharsPerWord: Int = 100) throws {
        try self.init(vocabulary: WordPieceVocabulary(contentsOf: vocabularyFile),
                      file: vocabularyFile.path, maxInputCharsPerWord: maxInputCharsPerWord)
    }

    /// A tokenizer over an already loaded vocabulary; `file` names it in errors.
    public init(vocabulary: WordPieceVocabulary, file: String, maxInputCharsPerWord: Int = 100) throws {
        func special(_ token: String) throws -> Int32 {
            guard let id = vocabulary.id(of: token) else { throw TokenizerError.missingToken(file: file, token: token) }
            return id
        }
        self.vocabulary = vocabulary
        self.maxInputCharsPerWord = maxInputCharsPerWord
        unknownID = try special("[UNK]")
        classifierID = try special("[CLS]")
        separatorID = try special("[SEP]")
        paddingID = try special("[PAD]")
        specialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].compactMap { token in
            vocabulary.id(of: token).map { (Array(token.utf8), $0) }
        }
        longestPiece = vocabulary.pieces.map { $0.hasPrefix("##") ? $0.utf8.count - 2 : $0.utf8.count }.max() ?? 1
    }

    /// `[CLS]` + word pieces + `[SEP]`, truncated to `maxLength` ids in all (at least the two
    /// specials are kept), as sentence-transformers feeds BERT.
    public func encode(_ text: String, maxLength: Int) -> [Int32] {
        let budget = max(0, maxLength - 2)
        var ids: [Int32] = [classifierID]
        ids.reserveCapacity(min(budget, text.utf8.count) + 2)
        appendPieceIDs(of: text[...], to: &ids, limit: budget)
        ids.append(separatorID)
        return ids
    }

    /// The word-piece ids of `text` without specials, at most `limit` of them.
    public func pieceIDs(_ text: Substring, limit: Int = .max) -> [Int32] {
        var ids: [Int32] = []
        appendPieceIDs(of: text, to: &ids, limit: limit)
        return ids
    }

    /// How many word pieces `text` makes, without specials and without truncation. Allocates
    /// nothing per word (one scratch buffer per call).
    public func pieceCount(_ text: Substring) -> Int {
        var total = 0
        forEachSegment(of: text) { segment in
            switch segment {
            case .special: total += 1
            case let .text(part):
                BasicTokenizer.forEachWord(in: part) { word in
                    total += splitWord(word) { _ in }
                    return true
                }
            }
            return true
        }
        return total
    }

    /// The piece strings of `ids` (`[UNK]` etc. included); ids outside the vocabulary show as `[?id]`.
    public func pieces(_ ids: [Int32]) -> [String] {
        ids.map { $0 >= 0 && Int($0) < vocabulary.count ? vocabulary.pieces[Int($0)] : "[?\($0)]" }
    }

    private func appendPieceIDs(of text: Substring, to ids: inout [Int32], limit: Int) {
        var remaining = limit
        guard remaining > 0 else { return }
        forEachSegment(of: text) { segment in
            switch segment {
            case let .special(id):
                ids.append(id); remaining -= 1
            case let .text(part):
                BasicTokenizer.forEachWord(in: part) { word in
                    _ = splitWord(word) { id in
                        if remaining > 0 { ids.append(id); remaining -= 1 }
                    }
                    return remaining > 0
                }
            }
            return remaining > 0
        }
    }

    private enum Segment { case text(Substring), special(Int32) }

    /// Splits `text` at special tokens written in it (`[SEP]`), calling `body` for each part in
    /// order until it returns false.
    private func forEachSegment(of text: Substring, _ body: (Segment) -> Bool) {
        let utf8 = text.utf8
        var start = utf8.startIndex
        var cursor = start
        while let open = utf8[cursor...].firstIndex(of: UInt8(ascii: "[")) {
            let rest = utf8[open...]
            if let special = specialTokens.first(where: { rest.starts(with: $0.utf8) }) {
                if start < open, !body(.text(text[start ..< open])) { return }
                if !body(.special(special.id)) { return }
                start = utf8.index(open, offsetBy: special.utf8.count)
                cursor = start
            } else {
                cursor = utf8.index(after: open)
            }
        }
        if start < utf8.endIndex { _ = body(.text(text[start...])) }
    }

    /// Greedy longest-match split of one normalised word; calls `emit` for each piece id in
    /// order and returns how many there were. A word that cannot be split emits one `[UNK]`
    /// (found before anything is emitted, so a failed word never leaves partial pieces).
    @inline(__always)
    private func splitWord(_ word: UnsafeBufferPointer<UInt8>, _ emit: (Int32) -> Void) -> Int {
        var characters = 0
        for byte in word where byte & 0xC0 != 0x80 { characters += 1 }
        if characters > maxInputCharsPerWord { emit(unknownID); return 1 }
        // First pass: find the split points (at most one per byte; words are short).
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: word.count) { found in
            var count = 0
            var start = 0
            while start < word.count {
                var end = min(word.count, start + longestPiece)
                var match: Int32? = nil
                while end > start {
                    if end == word.count || word[end] & 0xC0 != 0x80 {   // only at character boundaries
                        let piece = UnsafeBufferPointer(rebasing: word[start ..< end])
                        if let id = vocabulary.id(of: piece, continuation: start > 0) { match = id; break }
                    }
                    end -= 1
                }
                guard let id = match else { emit(unknownID); return 1 }
                found[count] = id
                count += 1
                start = end
            }
            for k in 0..<count { emit(found[k]) }
            return count
        }
    }
}
