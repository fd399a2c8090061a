/// A byte-level BPE tokenizer (GPT-2 style, `tokenizer.ggml.model = gpt2` in GGUF), matching
/// llama.cpp's `llama_tokenize` token for token.
///
/// Encoding: special tokens are cut out first (``SpecialTokens``), each remaining stretch is
/// split into words by the ``PreTokenizer``, and each word (its UTF-8 bytes, one starting token
/// per byte) is merged by rank (``BPEMerges``). Decoding concatenates each token's raw bytes, so
/// `decode(encode(x)) == x` for every string.
///
/// ```swift
/// let tokenizer = try ByteLevelBPETokenizer(tokens: vocab, tokenTypes: types, merges: merges,
///                                           preTokenizer: "smollm", bosID: 1, eosID: 2)
/// tokenizer.encode("Hello world", parseSpecial: true)   // [19556, 905]
/// ```
public final class ByteLevelBPETokenizer: DecoderTokenizer, @unchecked Sendable {
    /// Where the vocabulary came from (a GGUF path), for error messages.
    public let source: String
    /// The pre-tokenizer in use.
    public let preTokenizer: PreTokenizer
    /// Beginning-of-sequence id, if the vocabulary has one.
    public let bosID: Int32?
    /// End-of-sequence id, if the vocabulary has one.
    public let eosID: Int32?
    /// End-of-turn id: declared, or found by its text (`<|im_end|>`, `<|eot_id|>`, …).
    public let eotID: Int32?
    /// Whether the model asks for BOS before a prompt (`tokenizer.ggml.add_bos_token`).
    public let addsBOS: Bool
    /// Whether the model asks for EOS after a prompt (`tokenizer.ggml.add_eos_token`).
    public let addsEOS: Bool
    /// Every id that ends generation: eos, eot, eom and the tokens llama.cpp recognises by text.
    public let endOfGenerationIDs: Set<Int32>

    private let tokens: [String]
    private let types: [TokenType]
    private let pieces: [[UInt8]]
    private let idForText: [String: Int32]
    private let byteTokens: [Int32]
    private let unknownID: Int32?
    private let merges: BPEMerges
    let specials: SpecialTokens
    private let ignoresMerges: Bool
    private let cache = WordCache()

    /// Builds the tokenizer from the vocabulary's plain arrays.
    ///
    /// - Parameters:
    ///   - tokens: every token in GPT-2 byte spelling (`Ġworld`), indexed by id.
    ///   - tokenTypes: ``TokenType`` raw values, one per token (empty: all normal).
    ///   - merges: merge rules `"left right"` in rank order.
    ///   - preTokenizer: the `tokenizer.ggml.pre` name (`smollm`, `llama3`, …).
    ///   - source: the file the vocabulary came from, named in errors.
    public init(
        tokens: [String], tokenTypes: [Int32], merges: [String], preTokenizer: String,
        bosID: Int32? = nil, eosID: Int32? = nil, eotID: Int32? = nil, eomID: Int32? = nil, unknownID: Int32? = nil,
        addBOS: Bool = false, addEOS: Bool = false, source: String = "<vocabulary>"
    ) throws {
        self.source = source
        guard let pre = PreTokenizer(ggufName: preTokenizer) else {
            throw TokenizerError.unsupportedPreTokenizer(file: source, found: preTokenizer, supported: PreTokenizer.supportedNames)
        }
        self.preTokenizer = pre
        ignoresMerges = pre == .llama3
        guard !tokens.isEmpty else {
            throw TokenizerError.malformedVocabulary(file: source, line: 0, reason: "the vocabulary is empty")
        }
        guard tokenTypes.isEmpty || tokenTypes.count == tokens.count else {
            throw TokenizerError.malformedVocabulary(file: source, line: min(tokens.count, tokenTypes.count), reason: "\(tokens.count) tokens but \(tokenTypes.count) token types")
        }
        for (name, id) in [("bos", bosID), ("eos", eosID), ("eot", eotID), ("eom", eomID), ("unknown", unknownID)] {
            if let id, id < 0 || Int(id) >= tokens.count {
                throw TokenizerError.missingToken(file: source, token: "\(name) id \(id) (the vocabulary has \(tokens.count) tokens)")
            }
        }
        var types = tokenTypes.isEmpty ? [TokenType](repeating: .normal, count: tokens.count) : tokenTypes.map { TokenType(rawValue: $0) ?? .undefined }

        var idForText: [String: Int32] = [:]
        idForText.reserveCapacity(tokens.count)
        for (i, text) in tokens.enumerated() { idForText[text] = Int32(i) } // the last of duplicates wins, as in llama.cpp

        // End of generation, as llama.cpp: declared ids plus well-known texts, which become CONTROL.
        endOfGenerationIDs = SpecialTokens.endOfGeneration(declared: [eosID, eotID, eomID], types: &types) { idForText[$0] }
        self.eotID = eotID ?? SpecialTokens.endOfTurnTexts.lazy.compactMap { idForText[$0] }.first
        self.bosID = bosID
        self.eosID = eosID
        addsBOS = addBOS
        addsEOS = addEOS

        // Byte tokens; some vocabularies lack a few (SmolLM2 has no token for 0x04, 0x1D, 0xC0,
        // 0xFF…), marked -1. Such a byte becomes the unknown token, or nothing (as llama.cpp's BPE
        // session drops it) when the unknown token is a control one: SmolLM2 declares
        // `<|endoftext|>` as unknown, and a control byte in a retrieved passage must not end or
        // steer the prompt (found by the `bpe` fuzz target, Fuzz/Regressions/bpe).
        byteTokens = (0 ..< 256).map { idForText[String(ByteEncoding.scalarForByte[$0])] ?? -1 }
        self.unknownID = unknownID.flatMap { types[Int($0)] == .control ? nil : $0 }
        self.merges = try BPEMerges(merges: merges, idForText: idForText, source: source)
        self.tokens = tokens
        self.types = types
        self.idForText = idForText
        pieces = zip(tokens, types).map { text, type in
            type == .control || type == .unknown || type == .userDefined ? Array(text.utf8) : ByteEncoding.decode(text)
        }
        specials = SpecialTokens(tokens: tokens, types: types)
    }

    /// The number of tokens in the vocabulary.
    public var vocabularySize: Int { tokens.count }

    /// False: byte-level BPE adds no space when encoding, so decoding takes none away.
    public var decodingStripsLeadingSpace: Bool { false }

    /// Token ids of `text`. With `parseSpecial`, control tokens written in the text
    /// (`<|im_start|>`) become their ids; without it they are ordinary text, which is how
    /// untrusted text (retrieved passages) must go in. `addSpecial` adds BOS / EOS where the
    /// model asks for them (``addsBOS``, ``addsEOS``).
    public func encode(_ text: String, parseSpecial: Bool, addSpecial: Bool = false) -> [Int32] {
        var ids: [Int32] = []
        if addSpecial, addsBOS, let bosID { ids.append(bosID) }
        let utf8 = Array(text.utf8)
        utf8.withUnsafeBufferPointer { bytes in
            encode(specials.partition(bytes, parseSpecial: parseSpecial), of: bytes, into: &ids)
        }
        if addSpecial, addsEOS, let eosID { ids.append(eosID) }
        return ids
    }

    /// Token ids of `text` continuing earlier text: byte-level BPE adds no prefix, so this is
    /// `encode(text, parseSpecial: false)`.
    public func encodeContinuation(_ text: String) -> [Int32] { encode(text, parseSpecial: false) }

    /// Appends the ids of partitioned text: matched tokens as they are, plain stretches split
    /// into words and merged.
    func encode(_ fragments: [SpecialTokens.Fragment], of bytes: UnsafeBufferPointer<UInt8>, into ids: inout [Int32]) {
        for fragment in fragments {
            switch fragment {
            case let .token(id):
                ids.append(id)
            case let .text(range):
                let stretch = UnsafeBufferPointer(rebasing: bytes[range])
                for word in preTokenizer.split(stretch) {
                    encodeWord(UnsafeBufferPointer(rebasing: stretch[word]), into: &ids)
                }
            }
        }
    }

    private func encodeWord(_ word: UnsafeBufferPointer<UInt8>, into ids: inout [Int32]) {
        if word.count == 1 {
            let id = byteTokens[Int(word[0])]
            if id >= 0 { ids.append(id) } else if let unknownID { ids.append(unknownID) }
            return
        }
        let key = Array(word)
        if let cached = cache.ids(for: key) { ids.append(contentsOf: cached); return }
        var result: [Int32] = []
        if ignoresMerges, let whole = idForText[ByteEncoding.encode(word)] {
            result = [whole] // llama3: a word that is itself a token is not merged up from bytes
        } else {
            merges.merge(key.map { byteTokens[Int($0)] }, into: &result)
            if result.contains(where: { $0 < 0 }) { result = result.compactMap { $0 >= 0 ? $0 : unknownID } }
        }
        cache.store(result, for: key)
        ids.append(contentsOf: result)
    }

    /// The raw bytes token `id` stands for (a control token's text for control tokens; empty
    /// for an id outside the vocabulary). A piece may be part of a UTF-8 character.
    public func piece(_ id: Int32) -> [UInt8] {
        guard id >= 0, Int(id) < pieces.count else { return [] }
        return pieces[Int(id)]
    }

    /// The text of `ids`: the exact inverse of ``encode(_:parseSpecial:addSpecial:)``. With
    /// `skipSpecial`, control tokens are left out. Bytes that are not valid UTF-8 (a sequence cut
    /// mid-character) become U+FFFD.
    public func decode(_ ids: [Int32], skipSpecial: Bool = false) -> String {
        var bytes: [UInt8] = []
        for id in ids {
            if skipSpecial, isControl(id) { continue }
            bytes.append(contentsOf: piece(id))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The id of a token given in vocabulary spelling (`Ġworld`, `<|im_end|>`).
    public func id(of piece: String) -> Int32? { idForText[piece] }

    /// The vocabulary spelling of `id`, or nil outside the vocabulary.
    public func token(_ id: Int32) -> String? {
        id >= 0 && Int(id) < tokens.count ? tokens[Int(id)] : nil
    }

    /// The kind of token `id` (nil outside the vocabulary).
    public func tokenType(_ id: Int32) -> TokenType? {
        id >= 0 && Int(id) < types.count ? types[Int(id)] : nil
    }

    /// Whether `id` is a control (or unknown) token: not text a model should show.
    public func isControl(_ id: Int32) -> Bool {
        let type = tokenType(id)
        return type == .control || type == .unknown
    }

    /// Whether generating `id` ends the answer.
    public func isEndOfGeneration(_ id: Int32) -> Bool { endOfGenerationIDs.contains(id) }
}

extension ByteLevelBPETokenizer {
    /// Token ids of the concatenation of `segments`, where special tokens are recognised only in
    /// segments with `parseSpecial` (a chat template's markup) and never in the others (message
    /// contents, retrieved passages). Plain text is pre-tokenized across segment boundaries, so
    /// when no content holds special-token text the result equals `encode(joined, parseSpecial: true)`.
    public func encode(_ segments: [(text: String, parseSpecial: Bool)], addSpecial: Bool = false) -> [Int32] {
        let (bytes, fragments) = specials.partition(segments)
        var ids: [Int32] = []
        if addSpecial, addsBOS, let bosID { ids.append(bosID) }
        bytes.withUnsafeBufferPointer { encode(fragments, of: $0, into: &ids) }
        if addSpecial, addsEOS, let eosID { ids.append(eosID) }
        return ids
    }
}
