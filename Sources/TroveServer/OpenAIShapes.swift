import Foundation
import Trove

// The request and response bodies of OpenAI's embeddings, chat completions and models endpoints
// (https://platform.openai.com/docs/api-reference), as far as Trove's models can honour them.

/// `POST /v1/embeddings`. `input` is one string or an array of strings; token-id arrays are
/// refused (they would be ids of OpenAI's tokenizer, not of this encoder's word pieces).
struct EmbeddingsRequest: Decodable {
    var input: [String]
    var model: String?
    /// `float` (default) or `base64` (little-endian float32 bytes; the `openai` Python client asks for it).
    var encodingFormat: String?
    var dimensions: Int?

    enum CodingKeys: String, CodingKey {
        case input, model, dimensions
        case encodingFormat = "encoding_format"
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        encodingFormat = try container.decodeIfPresent(String.self, forKey: .encodingFormat)
        dimensions = try container.decodeIfPresent(Int.self, forKey: .dimensions)
        if let one = try? container.decode(String.self, forKey: .input) {
            input = [one]
        } else if let many = try? container.decode([String].self, forKey: .input) {
            input = many
        } else if (try? container.decode([Int].self, forKey: .input)) != nil || (try? container.decode([[Int]].self, forKey: .input)) != nil {
            throw APIError.badRequest("field `input` holds token ids; this server takes text only (a string or an array of strings)", param: "input")
        } else if !container.contains(.input) {
            throw APIError.badRequest("missing field `input`", param: "input")
        } else {
            throw APIError.badRequest("field `input` must be a string or an array of strings", param: "input")
        }
    }
}

struct EmbeddingsResponse: Encodable {
    struct Item: Encodable {
        let object = "embedding"
        let index: Int
        let embedding: EmbeddingValue
    }

    /// A float array, or base64 of its little-endian float32 bytes.
    enum EmbeddingValue: Encodable {
        case floats([Float])
        case base64(String)

        func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .floats(let values): try container.encode(values)
            case .base64(let text): try container.encode(text)
            }
        }
    }

    let object = "list"
    let data: [Item]
    let model: String
    let usage: Usage
}

struct Usage: Encodable {
    let promptTokens: Int
    let completionTokens: Int?
    let totalTokens: Int

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
    }
}

/// `POST /v1/chat/completions`.
struct ChatCompletionRequest: Decodable {
    var model: String?
    var messages: [ChatRequestMessage]
    var stream: Bool?
    var streamOptions: StreamOptions?
    var stop: [String]?
    var n: Int?
    var sampling: SamplingFields

    struct StreamOptions: Decodable {
        var includeUsage: Bool?
        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    enum CodingKeys: String, CodingKey {
        case model, messages, stream, stop, n
        case streamOptions = "stream_options"
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        messages = try container.decode([ChatRequestMessage].self, forKey: .messages)
        stream = try container.decodeIfPresent(Bool.self, forKey: .stream)
        streamOptions = try container.decodeIfPresent(StreamOptions.self, forKey: .streamOptions)
        n = try container.decodeIfPresent(Int.self, forKey: .n)
        if let one = try? container.decode(String.self, forKey: .stop) {
            stop = [one]
        } else {
            stop = try container.decodeIfPresent([String].self, forKey: .stop)
        }
        sampling = try SamplingFields(from: decoder)
    }

    /// The turns and generation options, or a 400 naming what cannot be honoured.
    func validated() throws -> (turns: [ChatTurn], options: GenerationOptions) {
        guard !messages.isEmpty else { throw APIError.badRequest("field `messages` is empty", param: "messages") }
        if let n, n != 1 { throw APIError.badRequest("field `n` must be 1: one choice per request", param: "n") }
        if let stop, stop.count > 4 { throw APIError.badRequest("field `stop` holds at most 4 strings", param: "stop") }
        var options = GenerationOptions()
        options.maxTokens = 512
        options.stopStrings = stop ?? []
        try sampling.apply(to: &options)
        let turns = try messages.enumerated().map { index, message in try message.turn(at: index) }
        return (turns, options)
    }
}

/// One message: `content` a string or an array of `{"type": "text", "text": …}` parts.
struct ChatRequestMessage: Decodable {
    var role: String
    var content: String?

    enum CodingKeys: String, CodingKey { case role, content }

    struct Part: Decodable {
        var type: String
        var text: String?
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decode(String.self, forKey: .role)
        if let text = try? container.decode(String.self, forKey: .content) {
            content = text
        } else if let parts = try? container.decode([Part].self, forKey: .content) {
            guard let other = parts.first(where: { $0.type != "text" || $0.text == nil }) else {
                content = parts.compactMap(\.text).joined(separator: "\n")
                return
            }
            throw APIError.badRequest("content parts of type \"\(other.type)\" are not supported: this model reads text only",
                                      param: "messages")
        } else if try container.decodeNil(forKey: .content) {
            content = nil
        } else {
            throw APIError.badRequest("a message's `content` must be a string or an array of text parts", param: "messages")
        }
    }

    func turn(at index: Int) throws -> ChatTurn {
        let roles: [String: ChatTurn.Role] = ["system": .system, "developer": .system, "user": .user, "assistant": .assistant]
        guard let role = roles[role] else {
            throw APIError.badRequest("messages[\(index)].role \"\(role)\" is not supported (system, developer, user, assistant)",
                                      param: "messages[\(index)].role")
        }
        return ChatTurn(role, content ?? "")
    }
}

struct ChatCompletionResponse: Encodable {
    struct Choice: Encodable {
        let index = 0
        let message: Message
        let finishReason: String
        let logprobs: String? = nil

        enum CodingKeys: String, CodingKey {
            case index, message, logprobs
            case finishReason = "finish_reason"
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(message, forKey: .message)
            try container.encode(finishReason, forKey: .finishReason)
            try container.encodeNil(forKey: .logprobs)
        }
    }

    struct Message: Encodable {
        let role = "assistant"
        let content: String
    }

    let id: String
    let object = "chat.completion"
    let created: Int
    let model: String
    let choices: [Choice]
    let usage: Usage
    /// The checked citations of a `trove` (retrieval) reply; absent for the bare decoder.
    var citations: [Citation]? = nil
}

/// One `chat.completion.chunk` of a stream.
struct ChatCompletionChunk: Encodable {
    struct Choice: Encodable {
        let index = 0
        let delta: Delta
        let finishReason: String?

        enum CodingKeys: String, CodingKey {
            case index, delta
            case finishReason = "finish_reason"
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(delta, forKey: .delta)
            try container.encode(finishReason, forKey: .finishReason)   // null until the last chunk
        }
    }

    struct Delta: Encodable {
        var role: String?
        var content: String?
    }

    let id: String
    let object = "chat.completion.chunk"
    let created: Int
    let model: String
    let choices: [Choice]
    var usage: Usage?
    /// On a `trove` stream's last chunk: the checked citations (see ``ChatCompletionResponse``).
    var citations: [Citation]? = nil
}

/// `GET /v1/models`.
struct ModelList: Encodable {
    struct Model: Encodable {
        let id: String
        let object = "model"
        let created: Int
        let ownedBy = "trove"

        enum CodingKeys: String, CodingKey {
            case id, object, created
            case ownedBy = "owned_by"
        }
    }

    let object = "list"
    let data: [Model]
}

/// OpenAI's `finish_reason` for Trove's stop reason: `stop` (end of text or a stop string) or
/// `length` (max_tokens, or the context is full).
/// `cancelled` is the server's time bound (``ServerConfiguration/maxGenerationTime``) when a
/// client still reads the reply (a client that left reads nothing): a cut-off, like `max_tokens`.
func finishReason(_ stopReason: String) -> String {
    ["max_tokens", "context_full", "cancelled"].contains(stopReason) ? "length" : "stop"
}
