import Foundation
import LlamaDecoder
import ModelFiles
import Tokenizers
import TroveTestSupport

/// The tokenizers on any text (the input's bytes as UTF-8, invalid sequences replaced), each with
/// the real vocabulary it serves: all-MiniLM-L6-v2's WordPiece, SmolLM2's byte-level BPE, and
/// llama.cpp's SentencePiece test vocabulary (Scripts/fetch-models.sh and
/// Scripts/fetch-tokenizer-vectors.sh fetch them).
enum TokenizerTargets {
    /// WordPiece (the encoder's): `encode` within the 256-piece window, and the chunker's
    /// `pieceCount`, which must agree with the pieces it counts.
    static let wordPiece = FuzzTarget("wordpiece", "text → WordPieceTokenizer.encode, pieceIDs, pieceCount") { input in
        let (tokenizer, vocabularySize) = try Vocabularies.wordPiece.get()
        let text = String(decoding: input, as: UTF8.self)
        let ids = tokenizer.encode(text, maxLength: 256)
        FuzzTarget.require(ids.count <= 256, "encode(maxLength: 256) gave \(ids.count) ids")
        FuzzTarget.require(ids.allSatisfy { $0 >= 0 && Int($0) < vocabularySize }, "an id outside the vocabulary")
        let pieces = tokenizer.pieceIDs(Substring(text))
        let count = tokenizer.pieceCount(Substring(text))
        FuzzTarget.require(count == pieces.count, "pieceCount \(count) but pieceIDs gave \(pieces.count) pieces")
        _ = tokenizer.pieces(ids)
    }

    /// Byte-level BPE (SmolLM2's): every id in the vocabulary, no control token from text whose
    /// special tokens are not parsed, and decoding gives back the text exactly, less the bytes
    /// the vocabulary has no token for (which are dropped).
    static let byteLevelBPE = FuzzTarget("bpe", "text → ByteLevelBPETokenizer.encode/decode round trip") { input in
        let tokenizer = try Vocabularies.byteLevelBPE.get()
        let text = String(decoding: input, as: UTF8.self)
        let ids = tokenizer.encode(text, parseSpecial: false)
        FuzzTarget.require(ids.allSatisfy { $0 >= 0 && Int($0) < tokenizer.vocabularySize }, "an id outside the vocabulary")
        FuzzTarget.require(!ids.contains { tokenizer.isControl($0) }, "text not parsed for special tokens gave a control token: \(ids)")
        let representable = text.utf8.filter { tokenizer.id(of: ByteEncoding.encode([$0])) != nil }
        let expected = String(decoding: representable, as: UTF8.self)
        let decoded = tokenizer.decode(ids)
        FuzzTarget.require(decoded == expected, "decode(encode(text)) differs from the text: \(String(reflecting: decoded)) vs \(String(reflecting: expected))")
        _ = tokenizer.decode(tokenizer.encode(text, parseSpecial: true, addSpecial: true))
    }

    /// SentencePiece (llama's vocabulary, with byte fallback): every id in the vocabulary, with and
    /// without special tokens, and decoding runs on whatever ids the input spells.
    static let sentencePiece = FuzzTarget("sentencepiece", "text → SentencePieceTokenizer.encode/decode") { input in
        let tokenizer = try Vocabularies.sentencePiece.get()
        let text = String(decoding: input, as: UTF8.self)
        for parseSpecial in [false, true] {
            let ids = tokenizer.encode(text, parseSpecial: parseSpecial, addSpecial: parseSpecial)
            FuzzTarget.require(ids.allSatisfy { $0 >= 0 && Int($0) < tokenizer.vocabularySize }, "an id outside the vocabulary")
            _ = tokenizer.decode(ids)
        }
        // The input's bytes read as ids (little-endian 16-bit), in range or not: decoding never traps.
        let raw = stride(from: 0, to: input.count - 1, by: 2).map { Int32(input[input.startIndex + $0]) | Int32(input[input.startIndex + $0 + 1]) << 8 }
        _ = tokenizer.decode(raw.map { $0 - 1000 })
    }
}

/// The vocabularies, loaded once per process.
enum Vocabularies {
    static let wordPiece = Result { () throws -> (WordPieceTokenizer, vocabularySize: Int) in
        let url = try required(Fixtures.encoderFolder.appendingPathComponent("vocab.txt"))
        let vocabulary = try WordPieceVocabulary(contentsOf: url)
        return (try WordPieceTokenizer(vocabulary: vocabulary, file: url.path), vocabulary.count)
    }
    static let byteLevelBPE = Result { () throws -> any DecoderTokenizer in
        try loadDecoderTokenizer(GGUFFile(url: required(Fixtures.decoderFile)))
    }
    static let sentencePiece = Result { () throws -> any DecoderTokenizer in
        try loadDecoderTokenizer(GGUFFile(url: required(Fixtures.tokenizerVectorsFolder.appendingPathComponent("ggml-vocab-llama-spm.gguf"))))
    }

    /// `url`, or ``MissingFile`` naming it.
    static func required(_ url: URL) throws -> URL {
        _ = try Fixtures.required(url)   // throws MissingFile naming the path
        return url
    }
}
