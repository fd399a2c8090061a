import Foundation
import LlamaDecoder
import Tokenizers

/// A passage as it goes into the prompt: numbered from 1, with where it came from.
public struct Passage: Codable, Sendable, Equatable {
    /// The number the answer cites it by: `[n]`.
    public var n: Int
    public var chunkID: Int64
    /// The document's path, relative to the current directory when it lies below it.
    public var path: String
    public var title: String?
    /// The heading path ("Title > Section") where the passage starts.
    public var section: String?
    /// The text given to the model (possibly trimmed to fit the context window).
    public var text: String
    /// Code-point offsets of the passage in its document's extracted text.
    public var start: Int
    public var end: Int
    public var page: Int?
    public var lineStart: Int?
    public var lineEnd: Int?
    public var anchor: String?
    /// Retrieval score of the passage: cosine similarity with the question.
    public var cosine: Float
    /// Whether the text was cut to fit the context window.
    public var trimmed: Bool

    enum CodingKeys: String, CodingKey {
        case n, path, title, section, text, start, end, page, anchor, cosine, trimmed
        case chunkID = "chunk_id"
        case lineStart = "line_start"
        case lineEnd = "line_end"
    }

    /// Search result `result` as passage number `n`.
    init(_ result: SearchResult, n: Int) {
        self.n = n
        chunkID = result.chunkID
        path = Citation.displayPath(result.path)
        title = result.title
        section = result.headingPath
        text = result.text
        start = result.start
        end = result.end
        page = result.page
        lineStart = result.lineStart
        lineEnd = result.lineEnd
        anchor = result.anchor
        cosine = result.cosine ?? 0
        trimmed = false
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
    public let tokenizer: any DecoderTokenizer
    public let template: ChatTemplate
    /// Tokens the whole prompt may use (context window minus the answer's tokens).
    public let budget: Int

    public init(tokenizer: any DecoderTokenizer, template: ChatTemplate, budget: Int) {
        self.tokenizer = tokenizer
        self.template = template
        self.budget = budget
    }

    /// The system message: answer with the passage's own words. Only spans of the passages are
    /// scored as answers anyway (``AnswerCandidates``); saying so makes the model's likelihoods
    /// favour the span that answers over one that merely continues the text.
    public static let systemPrompt = """
        You answer questions using only the numbered passages. Reply with the exact words from a \
        passage that answer the question: a name, a number, a date, a function, a command or a short \
        phrase.
        """

    /// The start of the reply that candidate answers are scored as the end of.
    public static let answerLead = "The answer is"

    /// Builds the prompt from ranked search results (best first), numbering them from 1.
    public func build(question: String, results: [SearchResult]) throws -> BuiltPrompt {
        var passages = results.enumerated().map { Passage($1, n: $0 + 1) }
        var ids = try render(question: question, passages: passages)
        // Drop the weakest passages until the prompt fits, keeping at least one.
        while ids.count > budget && passages.count > 1 {
            passages.removeLast()
            ids = try render(question: question, passages: passages)
        }
        // Trim the one left, by words, until it fits.
        while ids.count > budget, var only = passages.first, !only.text.isEmpty {
            let overflow = ids.count - budget
            let words = only.text.split(separator: " ", omittingEmptySubsequences: false)
            let keep = max(0, words.count - max(8, overflow))
            only.text = words.prefix(keep).joined(separator: " ")
            only.trimmed = true
            passages[0] = only
            ids = try render(question: question, passages: passages)
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

    /// "Title > Section", else the file name: the model needs a hint, not a path.
    static func sourceLabel(_ passage: Passage) -> String {
        var label = passage.section ?? passage.title ?? URL(fileURLWithPath: passage.path).lastPathComponent
        if let page = passage.page { label += ", page \(page)" }
        return label
    }

    /// Token ids of the whole chat: the template's markup with special tokens parsed, the
    /// messages' contents (passages, question) without. A template with no system role (Gemma 2,
    /// Mistral v0.1 refuse one) gets the instructions and a blank line at the start of the user
    /// turn instead, as Gemma 3's template does itself.
    func render(question: String, passages: [Passage]) throws -> [Int32] {
        let user = Self.userMessage(question: question, passages: passages)
        do {
            return try template.encode([ChatMessage(.system, Self.systemPrompt), ChatMessage(.user, user)], with: tokenizer)
        } catch ChatTemplateError.conversationRefused {
            return try template.encode([ChatMessage(.user, Self.systemPrompt + "\n\n" + user)], with: tokenizer)
        }
    }
}
