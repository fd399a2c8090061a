/// A SentencePiece-style tokenizer (`tokenizer.ggml.model = llama` in GGUF: Llama 2, Mistral,
/// TinyLlama, Phi-3, Gemma), matching llama.cpp's `llama_tokenize` token for token.
///
/// Encoding (llama-vocab.cpp, `LLAMA_VOCAB_TYPE_SPM`): special tokens are cut out first
/// (``SpecialTokens``); each remaining stretch gets a leading space if it starts the text or
/// follows a special token (`add_space_prefix`), has every space written `▁` (U+2581), and is
/// merged from single characters by score (``appendMerged(_:to:)``), with characters outside the
/// vocabulary spelled as byte tokens `<0xXX>`. There is no pre-tokenizer: `tokenizer.ggml.pre`
/// is ignored, as llama.cpp ignores it for this model.
///
/// Decoding turns `▁` back into spaces and byte tokens into their bytes, and drops the space
/// prefix from the first token (llama.cpp `llama_detokenize`).
///
/// ```swift
/// let tokenizer = try SentencePieceTokenizer(tokens: vocab, scores: scores, tokenTypes: types,
///                                            bosID: 1, eosID: 2, unknownID: 0, addBOS: true)
/// tokenizer.encode("Hello world", parseSpecial: false)   // [15043, 3186]: "▁Hello", "▁world"
/// ```
public final class SentencePieceTokenizer: DecoderTokenizer, @unchecked Sendable {
    /// Where the vocabulary came from (a GGUF path), for error messages.
    public let source: String
    /// Beginning-of-sequence id, if the vocabulary has one.
    public let bosID: Int32?
    /// End-of-sequence id, if the vocabulary has one.
    public let eosID: Int32?
    /// End-of-turn id: declared, or found by its text (`<|end|>`, `<end_of_turn>`, …).
    public let eotID: Int32?
    /// Whether the model asks for BOS before a prompt (`tokenizer.ggml.add_bos_token`).
    public let addsBOS: Bool
    /// Whether the model asks for EOS after a prompt (`tokenizer.ggml.add_eos_token`).
    public let addsEOS: Bool
    /// Whether a space is put before the text and after each special token
    /// (`tokenizer.ggml.add_space_prefix`; true for Llama 2 and Phi-3, false for Gemma).
    public let addsSpacePrefix: Bool
    /// Every id that ends generation: eos, eot, eom and the tokens llama.cpp recognises by text.
    public let endOfGenerationIDs: Set<Int32>

    private let tokens: [String]
    let scores: [Float]
    private let types: [TokenType]
    private let pieces: [[UInt8]]
    let idForBytes: [[UInt8]: Int32]
    /// The token for each byte: `<0xXX>`, else the byte itself as a token, else unknown; -1 if none.
    let byteTokens: [Int32]
    let specials: SpecialTokens
    /// Merge ranks by pair (`left 0xFF right` in bytes) when the vocabulary merges by rank
    /// (`tokenizer.ggml.model = gemma4`), nil when it merges by score.
    let mergeRanks: [[UInt8]: Int32]?

    /// Builds the tokenizer from the vocabulary's plain arrays.
    ///
    /// - Parameters:
    ///   - tokens: every token, spaces written `▁`, indexed by id.
    ///   - scores: one merge score per token (higher merges first); empty: all 0.
    ///   - tokenTypes: ``TokenType`` raw values, one per token (empty: all normal).
    ///   - addSpacePrefix: `tokenizer.ggml.add_space_prefix` (llama.cpp's default is true).
    ///   - modelName: `general.name`; llama.cpp gives Phi-3's special tokens a special rule.
    ///   - merges: for a vocabulary that merges by rank instead of score (Gemma 4's
    ///     `tokenizer.ggml.merges`, "left right" in rank order): see ``appendRankMerged(_:to:)``.
    ///   - source: the file the vocabulary came from, named in errors.
    public init(
        tokens: [String], scores: [Float], tokenTypes: [Int32],
        bosID: Int32? = nil, eosID: Int32? = nil, eotID: Int32? = nil, eomID: Int32? = nil, unknownID: Int32? = nil,
        addBOS: Bool = true, addEOS: Bool = false, addSpacePrefix: Bool = true, modelName: String = "", merges: [String]? = nil,
        source: String = "<vocabulary>"
    ) throws {
        self.source = source
        guard !tokens.isEmpty else {
            throw TokenizerError.malformedVocabulary(file: source, line: 0, reason: "the vocabulary is empty")
        }
        guard tokenTypes.isEmpty || tokenTypes.count >= tokens.count else {
            throw TokenizerError.malformedVocabulary(file: source, line: tokenTypes.count, reason: "\(tokens.count) tokens but \(tokenTypes.count) token types")
        }
        guard scores.isEmpty || scores.count >= tokens.count else {
            throw TokenizerError.malformedVocabulary(file: source, line: scores.count, reason: "\(tokens.count) tokens but \(scores.count) scores")
        }
        for (name, id) in [("bos", bosID), ("eos", eosID), ("eot", eotID), ("eom", eomID), ("unknown", unknownID)] {
            if let id, id < 0 || Int(id) >= tokens.count {
                throw TokenizerError.missingToken(file: source, token: "\(name) id \(id) (the vocabulary has \(tokens.count) tokens)")
            }
        }
        // llama.cpp renames empty tokens so that every text is a distinct key.
        let tokens = tokens.enumerated().map { $1.isEmpty ? "[EMPTY_\($0)]" : $1 }
        var types = tokenTypes.isEmpty ? [TokenType](repeating: .normal, count: tokens.count)
            : tokenTypes.prefix(tokens.count).map { TokenType(rawValue: $0) ?? .undefined }

        // Keyed by bytes, not String: Swift's String equality is canonical equivalence, which
        // would make "é" and "e\u{301}" one token.
        var idForBytes: [[UInt8]: Int32] = [:]
        idForBytes.reserveCapacity(tokens.count)
        for (i, text) in tokens.enumerated() { idForBytes[Array(text.utf8)] = Int32(i) } // the last of duplicates wins, as in llama.cpp

        endOfGenerationIDs = SpecialTokens.endOfGeneration(declared: [eosID, eotID, eomID], types: &types) { idForBytes[Array($0.utf8)] }
        self.eotID = eotID ?? SpecialTokens.endOfTurnTexts.lazy.compactMap { idForBytes[Array($0.utf8)] }.first
        self.bosID = bosID
        self.eosID = eosID
        addsBOS = addBOS
        addsEOS = addEOS
        addsSpacePrefix = addSpacePrefix

        // llama_vocab::byte_to_token: "<0xXX>", else the byte as a one-character token.
        byteTokens = (0 ..< 256).map { byte in
            idForBytes[Array(Self.byteTokenText(UInt8(byte)).utf8)] ?? idForBytes[[UInt8(byte)]] ?? unknownID ?? -1
        }
        self.tokens = tokens
        self.scores = scores.isEmpty ? [Float](repeating: 0, count: tokens.count) : Array(scores.prefix(tokens.count))
        self.types = types
        self.idForBytes = idForBytes
        pieces = zip(tokens, types).map { text, type in Self.piece(text: text, type: type) }
        let name = modelName.lowercased()
        let isPhi3 = name.contains("phi-3") || name.contains("phi3")
        mergeRanks = merges.map(Self.mergeRanks)
        specials = SpecialTokens(tokens: tokens, types: types,
                                 rightStripped: isPhi3 ? SpecialTokens.phi3RightStripped(tokens: tokens, types: types) : [])
    }

    /// `<0x0A>` for byte 10: the spelling of byte-fallback tokens.
    static func byteTokenText(_ byte: UInt8) -> String {
        let hex = Array("0123456789ABCDEF")
        return "<0x\(hex[Int(byte >> 4)])\(hex[Int(byte & 15)])>"
    }

    /// A token's raw bytes, as llama.cpp's `token_to_piece` for SPM: control, unknown and
    /// user-defined tokens as written; normal ones with `▁` as a space; byte tokens their byte;
    /// unused and undefined ones nothing.
    static func piece(text: String, type: TokenType) -> [UInt8] {
        switch type {
        case .control, .unknown, .userDefined:
            return Array(text.utf8)
        case .normal:
            return unescapingSpaces(Array(text.utf8))
        case .byte:
            let utf8 = Array(text.utf8)
            guard utf8.count == 6, let byte = UInt8(String(decoding: utf8[3 ..< 5], as: UTF8.self), radix: 16) else { return utf8 }
            return [byte]
        case .unused, .undefined:
            return []
        }
    }

    /// `bytes` with each `▁` turned back into a space (llama.cpp `llama_unescape_whitespace`).
    static func unescapingSpaces(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if i + 2 < bytes.count, bytes[i] == 0xE2, bytes[i + 1] == 0x96, bytes[i + 2] == 0x81 {
                out.append(0x20); i += 3
            } else {
                out.append(bytes[i]); i += 1
            }
        }
        return out
    }

    /// The number of tokens in the vocabulary.
    public var vocabularySize: Int { tokens.count }

    /// True when the vocabulary adds a space prefix (llama.cpp strips it when detokenizing).
    public var decodingStripsLeadingSpace: Bool { addsSpacePrefix }

    /// Token ids of `text`. With `parseSpecial`, control tokens written in the text (`<s>`,
    /// `<|end|>`) become their ids; without it they are ordinary text. `addSpecial` adds BOS /
    /// EOS where the model asks for them (``addsBOS``, ``addsEOS``).
    public func encode(_ text: String, parseSpecial: Bool, addSpecial: Bool = false) -> [Int32] {
        let bytes = Array(text.utf8)
        let fragments = bytes.withUnsafeBufferPointer { specials.partition($0, parseSpecial: parseSpecial) }
        return encode(fragments, of: bytes, addSpecial: addSpecial)
    }

    /// Token ids of `text` continuing earlier text: no space prefix before it, special tokens
    /// not parsed.
    public func encodeContinuation(_ text: String) -> [Int32] {
        let bytes = Array(text.utf8)
        let fragments = bytes.withUnsafeBufferPointer { specials.partition($0, parseSpecial: false) }
        return encode(fragments, of: bytes, addSpecial: false, startsText: false)
    }

    /// Token ids of the concatenation of `segments`, special tokens recognised only in segments
    /// with `parseSpecial` (a chat template's markup). When no content holds special-token text
    /// the result equals `encode(joined, parseSpecial: true)`.
    public func encode(_ segments: [(text: String, parseSpecial: Bool)], addSpecial: Bool = false) -> [Int32] {
        let (bytes, fragments) = specials.partition(segments)
        return encode(fragments, of: bytes, addSpecial: addSpecial)
    }

    private func encode(_ fragments: [SpecialTokens.Fragment], of bytes: [UInt8], addSpecial: Bool, startsText: Bool = true) -> [Int32] {
        var ids: [Int32] = []
        if addSpecial, addsBOS, let bosID { ids.append(bosID) }
        // llama.cpp starts with "previous was special" so the first stretch gets the prefix too,
        // and a stretch after any special token gets it again (`is_prev_special`).
        var afterSpecial = startsText
        for fragment in fragments {
            switch fragment {
            case let .token(id):
                ids.append(id)
                afterSpecial = true
            case let .text(range):
                var text: [UInt8] = []
                text.reserveCapacity(range.count + 3)
                if addsSpacePrefix, afterSpecial, mergeRanks == nil { text += Self.escapedSpace }
                for byte in bytes[range] {
                    if byte == 0x20 { text += Self.escapedSpace } else { text.append(byte) }
                }
                if mergeRanks != nil { appendRankMerged(text, to: &ids) } else { appendMerged(text, to: &ids) }
                afterSpecial = false
            }
        }
        if addSpecial, addsEOS, let eosID { ids.append(eosID) }
        return ids
    }

    /// `▁` (U+2581) in UTF-8: how SentencePiece writes a space.
    static let escapedSpace: [UInt8] = [0xE2, 0x96, 0x81]

    /// The raw bytes token `id` stands for (empty outside the vocabulary). A byte token's piece
    /// may be part of a UTF-8 character.
    public func piece(_ id: Int32) -> [UInt8] {
        guard id >= 0, Int(id) < pieces.count else { return [] }
        return pieces[Int(id)]
    }

    /// The text of `ids`, as llama.cpp's `llama_detokenize`: the first token loses one leading
    /// space when the vocabulary adds a space prefix. With `skipSpecial`, control tokens are left
    /// out, and a leading BOS too; then, as in llama.cpp, the text after that BOS keeps its space.
    public func decode(_ ids: [Int32], skipSpecial: Bool = false) -> String {
        var ids = ids[...]
        var stripSpace = addsSpacePrefix
        if skipSpecial, addsBOS, let bosID, ids.first == bosID {
            stripSpace = false
            ids = ids.dropFirst()
        }
        if skipSpecial, addsEOS, let eosID, ids.last == eosID { ids = ids.dropLast() }
        var bytes: [UInt8] = []
        for id in ids {
            defer { stripSpace = false }
            if skipSpecial, isControl(id) { continue }
            let piece = piece(id)
            bytes += stripSpace && piece.first == 0x20 ? piece.dropFirst() : piece[...]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The id of a token given in vocabulary spelling (`▁world`, `<0x0A>`, `</s>`).
    public func id(of piece: String) -> Int32? { idForBytes[Array(piece.utf8)] }

    /// The vocabulary spelling of `id`, or nil outside the vocabulary.
    public func token(_ id: Int32) -> String? {
        id >= 0 && Int(id) < tokens.count ? tokens[Int(id)] : nil
    }

    /// The kind of token `id` (nil outside the vocabulary).
    public func tokenType(_ id: Int32) -> TokenType? {
        id >= 0 && Int(id) < types.count ? types[Int(id)] : nil
    }
}
