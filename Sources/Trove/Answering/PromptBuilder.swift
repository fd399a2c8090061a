import Foundation
import LlamaDecoder
import Tokenizers

/// A passage as it goes into the prompt: numbered from 1, with where it came from.
public struct Passage: Codable, Sendable, Equatable {
    /// The number the answer cites it by: `[n]`.
    public var n: Int
    public var chunkID: Int64
    public var path: String
    public var title: String?
    /// The text given to the model (possibly trimmed to fit the context window).
    public var text: String
    public var start: Int
    public var end: Int
    public var page: Int?
    /// Retrieval score of the passage: cosine similarity with the question.
    public var cosine: Float
    /// Whether the text was cut to fit the context window.
    public var trimmed: Bool

    enum CodingKeys: String, CodingKey {
        case n, path, title, text, start, end, page, cosine, trimmed
        case chunkID = "chunk_id"
    }
}

/// A prompt ready for the decoder: its token ids and the passages it holds.
public struct BuiltPrompt: Sendable {
    public var ids: [Int32]
    public var passages: [Passage]
}

/// Builds the answering prompt: numbered passages and the question, fitted into a token budget.
///
/// The chat template's own markup is tokenized with special tokens parsed; the passages and the
/// question are tokenized with special tokens NOT parsed, so a document containing
/// `<|im_start|>` cannot inject control tokens. When the passages do not fit, the weakest
/// (last-ranked) are dropped first; a single passage longer than the budget is trimmed.
public struct PromptBuilder {
    public let tokenizer: ByteLevelBPETokenizer
    public let template: ChatTemplate
    /// Tokens the whole prompt may use (context window minus the answer's tokens).
    public let budget: Int

    public init(tokenizer: ByteLevelBPETokenizer, template: ChatTemplate, budget: Int) {
        self.tokenizer = tokenizer
        self.template = template
        self.budget = budget
    }

    /// The system message: short, extractive answers with citations, and a fixed sentence when the
    /// passages do not hold the answer (the small model follows a concrete example best).
    public static let systemPrompt = """
        You answer questions using only the numbered passages. Answer in one short sentence taken \
        from the passages, and cite the passage you used like [1]. If the passages do not contain \
        the answer, reply exactly: The documents do not cover this.
        """

    /// Builds the prompt from ranked search results (best first).
    public func build(question: String, results: [SearchResult]) -> BuiltPrompt {
        var passages = results.enumerated().map { index, result in
            Passage(n: index + 1, chunkID: result.chunkID, path: result.path, title: result.title,
                    text: result.text, start: result.start, end: result.end, page: result.page,
                    cosine: result.cosine, trimmed: false)
        }
        var ids = render(question: question, passages: passages)
        // Drop the weakest passages until the prompt fits, keeping at least one.
        while ids.count > budget && passages.count > 1 {
            passages.removeLast()
            ids = render(question: question, passages: passages)
        }
        // Trim the one left, by words, until it fits.
        while ids.count > budget, var only = passages.first, !only.text.isEmpty {
            let overflow = ids.count - budget
            let words = only.text.split(separator: " ", omittingEmptySubsequences: false)
            let keep = max(0, words.count - max(8, overflow))
            only.text = words.prefix(keep).joined(separator: " ")
            only.trimmed = true
            passages[0] = only
            ids = render(question: question, passages: passages)
        }
        return BuiltPrompt(ids: ids, passages: passages)
    }

    /// The user message: passages then the question.
    static func userMessage(question: String, passages: [Passage]) -> String {
        var text = ""
        for passage in passages {
            text += "[\(passage.n)] (\(sourceLabel(passage)))\n\(passage.text)\n\n"
        }
        text += "Question: \(question)"
        return text
    }

    /// "file.md, page 2" — the file name only: the model needs a hint, not a path.
    static func sourceLabel(_ passage: Passage) -> String {
        var label = passage.title.map { "\($0) — " } ?? ""
        label += URL(fileURLWithPath: passage.path).lastPathComponent
        if let page = passage.page { label += ", page \(page)" }
        return label
    }

    /// Token ids of the whole chat: the template's markup with special tokens parsed, the
    /// messages' contents (passages, question) without.
    func render(question: String, passages: [Passage]) -> [Int32] {
        let messages = [ChatMessage(.system, Self.systemPrompt),
                        ChatMessage(.user, Self.userMessage(question: question, passages: passages))]
        return template.encode(messages, with: tokenizer)
    }
}
