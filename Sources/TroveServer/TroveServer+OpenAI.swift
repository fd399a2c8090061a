import Foundation
import Hummingbird
import Trove

/// `POST /v1/embeddings`, `POST /v1/chat/completions` (streamed too) and `GET /v1/models`, in
/// OpenAI's shapes, so its client libraries work unchanged (`base_url="http://127.0.0.1:8080/v1"`).
/// Chat with the decoder's own id is the bare model; with `trove`, it answers from the index
/// (``retrievalChatCompletion(_:clientLeft:)``).
extension TroveServer {
    func addOpenAIRoutes(to router: Router<BasicRequestContext>) {
        router.get("/v1/models") { _, _ in
            let names = self.trove.modelNames, created = Int(self.started.timeIntervalSince1970)
            return try JSONCoding.response(ModelList(data: [
                .init(id: names.encoder, created: created), .init(id: names.decoder, created: created),
                .init(id: Self.retrievalModel, created: created),
            ]))
        }
        router.post("/v1/embeddings") { request, _ in
            let body = try await self.decodeBody(EmbeddingsRequest.self, from: request.body)
            return try JSONCoding.response(try await self.embeddings(body))
        }
        router.post("/v1/chat/completions") { request, _ in
            try await self.watchingClient(request) { body, clientLeft in
                let chat = try await self.decodeBody(ChatCompletionRequest.self, from: body)
                return try await self.chatCompletion(chat, clientLeft: clientLeft)
            }
        }
    }

    func chatCompletion(_ chat: ChatCompletionRequest, clientLeft: CancellationFlag) async throws -> Response {
        if chat.model == Self.retrievalModel { return try await retrievalChatCompletion(chat, clientLeft: clientLeft) }
        let model = try checkModel(chat.model, expected: trove.modelNames.decoder)
        let (turns, options) = try chat.validated()
        try await checkPromptLength(turns)
        let id = Self.completionID(), created = Int(Date().timeIntervalSince1970), trove = self.trove
        guard chat.stream == true else {
            let generation = try await generation(flag: clientLeft) {
                try trove.chat(turns, options: options.cancelled(by: clientLeft))
            }
            return try JSONCoding.response(ChatCompletionResponse(
                id: id, created: created, model: model,
                choices: [.init(message: .init(content: generation.text), finishReason: finishReason(generation.stopReason))],
                usage: Self.usage(generation)))
        }
        // OpenAI's stream: a role chunk, content chunks, a chunk with finish_reason, the usage
        // chunk when asked for (stream_options.include_usage), then `data: [DONE]`.
        let includeUsage = chat.streamOptions?.includeUsage == true
        return streamedGeneration { flag, events in
            let options = options.cancelled(by: flag)
            @Sendable func chunk(_ delta: ChatCompletionChunk.Delta, finish: String? = nil) -> ChatCompletionChunk {
                ChatCompletionChunk(id: id, created: created, model: model, choices: [.init(delta: delta, finishReason: finish)])
            }
            events.send(json: chunk(.init(role: "assistant", content: "")))
            let generation = try await self.engine {
                try trove.chat(turns, options: options) { text in
                    if !text.isEmpty { events.send(json: chunk(.init(content: text))) }
                }
            }
            events.send(json: chunk(.init(), finish: finishReason(generation.stopReason)))
            if includeUsage {
                events.send(json: ChatCompletionChunk(id: id, created: created, model: model, choices: [],
                                                      usage: Self.usage(generation)))
            }
            events.send(ServerSentEvents.frame(data: "[DONE]"))
        }
    }

    /// Refuses, before it waits for a generation slot, a chat whose messages hold more than
    /// ``ServerConfiguration/maxPromptTokens`` decoder tokens. Text averages 3–5 bytes a token, so
    /// messages of more than 16 bytes a token of the limit are refused without tokenizing them.
    func checkPromptLength(_ turns: [ChatTurn]) async throws {
        let limit = configuration.maxPromptTokens, trove = self.trove
        let bytes = turns.reduce(0) { $0 + $1.content.utf8.count }
        let tokens = bytes > limit * 16 ? bytes / 16 : try await engine {
            try turns.reduce(0) { $0 + (try trove.tokenizeForDecoder($1.content, parseSpecial: false).ids.count) }
        }
        guard tokens <= limit else {
            throw APIError.badRequest("the messages hold \(bytes > limit * 16 ? "at least " : "")\(tokens) tokens, " +
                                      "over this server's limit of \(limit) (trove serve --max-prompt-tokens)",
                                      param: "messages", code: "context_length_exceeded")
        }
    }

    func embeddings(_ body: EmbeddingsRequest) async throws -> EmbeddingsResponse {
        let model = try checkModel(body.model, expected: trove.modelNames.encoder)
        guard Limits.embeddingInputs.contains(body.input.count) else {
            throw APIError.badRequest("field `input` must hold 1 to \(Limits.embeddingInputs.upperBound) texts, got \(body.input.count)",
                                      param: "input")
        }
        let format = body.encodingFormat ?? "float"
        guard format == "float" || format == "base64" else {
            throw APIError.badRequest("field `encoding_format` must be float or base64, got \"\(format)\"", param: "encoding_format")
        }
        let texts = body.input, trove = self.trove
        let embeddings = try await engine { try trove.embed(texts) }
        if let dimensions = body.dimensions, dimensions != embeddings.first?.embedding.count {
            throw APIError.badRequest("field `dimensions` must be \(embeddings.first?.embedding.count ?? 0) for this model (it cannot shorten its vectors)",
                                      param: "dimensions")
        }
        let items = embeddings.enumerated().map { index, item in
            EmbeddingsResponse.Item(index: index, embedding: format == "base64"
                ? .base64(Self.littleEndianBase64(item.embedding)) : .floats(item.embedding))
        }
        let tokens = embeddings.reduce(0) { $0 + $1.inputIDs.count }
        return EmbeddingsResponse(data: items, model: model,
                                  usage: Usage(promptTokens: tokens, completionTokens: nil, totalTokens: tokens))
    }

    /// The model a request names must be this server's (absent means it); a 404 otherwise, as OpenAI answers.
    func checkModel(_ requested: String?, expected: String) throws -> String {
        guard let requested, requested != expected else { return expected }
        throw APIError(.notFound, "the model `\(requested)` does not exist here; this endpoint serves `\(expected)` (GET /v1/models)",
                       param: "model", code: "model_not_found")
    }

    /// A new completion's id, in OpenAI's form (`chatcmpl-` and 24 hex digits).
    static func completionID() -> String {
        "chatcmpl-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(24)
    }

    static func usage(_ generation: Generation) -> Usage {
        Usage(promptTokens: generation.promptIDs.count, completionTokens: generation.generatedIDs.count,
              totalTokens: generation.promptIDs.count + generation.generatedIDs.count)
    }

    /// float32 values as little-endian bytes, base64-encoded (OpenAI's `encoding_format: base64`).
    static func littleEndianBase64(_ values: [Float]) -> String {
        var bytes = Data(capacity: values.count * 4)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        return bytes.base64EncodedString()
    }
}
