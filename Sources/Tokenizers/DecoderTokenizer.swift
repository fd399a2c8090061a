/// What a decoder needs from its vocabulary, whichever algorithm the GGUF file names:
/// ``ByteLevelBPETokenizer`` (`tokenizer.ggml.model = gpt2`: Llama 3, Qwen, SmolLM2, GPT-2) or
/// ``SentencePieceTokenizer`` (`llama`: Mistral, TinyLlama, Phi-3, Gemma 3; `gemma4`: Gemma 4).
///
/// The generator, the streamer, the chat template and the prompt builder use only this, so a
/// model with either vocabulary generates and streams the same way.
///
/// ```swift
/// let tokenizer: any DecoderTokenizer = try loadDecoderTokenizer(gguf)
/// let ids = tokenizer.encode("Hello world", parseSpecial: false)
/// tokenizer.decode(ids)   // "Hello world"
/// ```
public protocol DecoderTokenizer: AnyObject, Sendable {
    /// Where the vocabulary came from (a GGUF path), for error messages.
    var source: String { get }
    /// The number of tokens in the vocabulary.
    var vocabularySize: Int { get }
    /// Beginning-of-sequence id, if the vocabulary has one.
    var bosID: Int32? { get }
    /// End-of-sequence id, if the vocabulary has one.
    var eosID: Int32? { get }
    /// End-of-turn id: declared, or found by its text (`<|im_end|>`, `<|eot_id|>`, …).
    var eotID: Int32? { get }
    /// Whether the model asks for BOS before a prompt.
    var addsBOS: Bool { get }
    /// Whether the model asks for EOS after a prompt.
    var addsEOS: Bool { get }
    /// Every id that ends generation.
    var endOfGenerationIDs: Set<Int32> { get }
    /// Whether decoded text loses one leading space: SentencePiece vocabularies put a space
    /// before the first word when encoding (`add_space_prefix`), and llama.cpp's detokenizer
    /// takes it off again. A streamer does the same with the first piece it shows.
    var decodingStripsLeadingSpace: Bool { get }

    /// Token ids of `text`. With `parseSpecial`, control tokens written in the text become
    /// their ids; without it they are ordinary text (how untrusted text must go in).
    /// `addSpecial` adds BOS / EOS where the model asks for them.
    func encode(_ text: String, parseSpecial: Bool, addSpecial: Bool) -> [Int32]

    /// Token ids of `text` as it continues text already tokenized (special tokens not parsed):
    /// a SentencePiece vocabulary puts no space prefix before it, so `" Paris"` is `▁Paris`
    /// and `"."` is `.`; for byte-level BPE this is plain ``encode(_:parseSpecial:)``.
    func encodeContinuation(_ text: String) -> [Int32]

    /// Token ids of the concatenation of `segments`, special tokens recognised only in segments
    /// with `parseSpecial` (a template's markup), never in the others (message contents).
    func encode(_ segments: [(text: String, parseSpecial: Bool)], addSpecial: Bool) -> [Int32]

    /// The raw bytes token `id` stands for; may be part of a UTF-8 character (a byte-level BPE
    /// token, or a SentencePiece `<0xE2>` byte-fallback token).
    func piece(_ id: Int32) -> [UInt8]

    /// The text of `ids`, as llama.cpp's `llama_detokenize`; with `skipSpecial`, control tokens
    /// are left out. Bytes that are not valid UTF-8 become U+FFFD.
    func decode(_ ids: [Int32], skipSpecial: Bool) -> String

    /// The id of a token given in vocabulary spelling (`Ġworld`, `▁world`, `<|im_end|>`).
    func id(of piece: String) -> Int32?

    /// The vocabulary spelling of `id`, or nil outside the vocabulary.
    func token(_ id: Int32) -> String?

    /// The kind of token `id` (nil outside the vocabulary).
    func tokenType(_ id: Int32) -> TokenType?
}

extension DecoderTokenizer {
    /// ``encode(_:parseSpecial:addSpecial:)`` without BOS / EOS.
    public func encode(_ text: String, parseSpecial: Bool) -> [Int32] {
        encode(text, parseSpecial: parseSpecial, addSpecial: false)
    }

    /// ``encode(_:addSpecial:)`` without BOS / EOS.
    public func encode(_ segments: [(text: String, parseSpecial: Bool)]) -> [Int32] {
        encode(segments, addSpecial: false)
    }

    /// ``decode(_:skipSpecial:)`` keeping control tokens.
    public func decode(_ ids: [Int32]) -> String { decode(ids, skipSpecial: false) }

    /// Whether `id` is a control (or unknown) token: not text a model should show.
    public func isControl(_ id: Int32) -> Bool {
        let type = tokenType(id)
        return type == .control || type == .unknown
    }

    /// Whether generating `id` ends the answer.
    public func isEndOfGeneration(_ id: Int32) -> Bool { endOfGenerationIDs.contains(id) }
}
