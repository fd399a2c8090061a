import Foundation
import Hummingbird
import Trove

/// The `trove` model of `/v1/chat/completions`: retrieval-augmented chat for any OpenAI client.
/// The last user turn (and, for a follow-up, the turns before it) is answered from the index by
/// ``TroveIndex/ask(conversation:options:onText:)``: the reply's text is the quoted answer with
/// its `[n]` marker and a numbered list of sources, and `citations` (an extra top-level field of
/// the completion, and of a stream's last chunk) holds the checked citations as data. When the
/// documents do not cover the question the reply says so and `citations` is empty. Sampling
/// fields and `max_tokens` do not apply: the answer is quoted, never sampled.
extension TroveServer {
    static let retrievalModel = "trove"

    func retrievalChatCompletion(_ chat: ChatCompletionRequest, clientLeft: CancellationFlag) async throws -> Response {
        let (turns, _) = try chat.validated()
        guard turns.contains(where: { $0.role == .user && !$0.content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) else {
            throw APIError.badRequest("field `messages` holds no user message to answer", param: "messages")
        }
        let id = Self.completionID(), created = Int(Date().timeIntervalSince1970)
        let trove = self.trove, model = Self.retrievalModel
        guard chat.stream == true else {
            let answer = try await generation(flag: clientLeft) {
                try trove.ask(conversation: turns, options: AskOptions().cancelled(by: clientLeft))
            }
            return try JSONCoding.response(ChatCompletionResponse(
                id: id, created: created, model: model,
                choices: [.init(message: .init(content: Self.replyText(answer)), finishReason: "stop")],
                usage: Self.usage(answer), citations: answer.citations))
        }
        let includeUsage = chat.streamOptions?.includeUsage == true
        return streamedGeneration { flag, events in
            @Sendable func chunk(_ delta: ChatCompletionChunk.Delta, finish: String? = nil,
                                 citations: [Citation]? = nil) -> ChatCompletionChunk {
                ChatCompletionChunk(id: id, created: created, model: model, choices: [.init(delta: delta, finishReason: finish)],
                                    citations: citations)
            }
            events.send(json: chunk(.init(role: "assistant", content: "")))
            // The quoted answer is sent as soon as it is known; the sources once the citations are.
            let answer = try await self.engine {
                try trove.ask(conversation: turns, options: AskOptions().cancelled(by: flag)) { shown in
                    events.send(json: chunk(.init(content: shown)))
                }
            }
            let rest = answer.isSupported ? Self.sourcesText(answer) : Answer.notCoveredText
            events.send(json: chunk(.init(content: rest)))
            events.send(json: chunk(.init(), finish: "stop", citations: answer.citations))
            if includeUsage {
                events.send(json: ChatCompletionChunk(id: id, created: created, model: model, choices: [], usage: Self.usage(answer)))
            }
            events.send(ServerSentEvents.frame(data: "[DONE]"))
        }
    }

    /// The reply as a person reads it: the quoted answer with `[n]`, then the numbered sources.
    static func replyText(_ answer: Answer) -> String {
        guard answer.isSupported, let cited = answer.citedAnswer else { return Answer.notCoveredText }
        return cited + sourcesText(answer)
    }

    static func sourcesText(_ answer: Answer) -> String {
        "\n\nSources:\n" + answer.citations.map { citation in
            "[\(citation.n)] \(citation.location)" + (citation.section.map { " (\($0))" } ?? "")
        }.joined(separator: "\n")
    }

    static func usage(_ answer: Answer) -> Usage {
        Usage(promptTokens: answer.timings.promptTokens, completionTokens: answer.timings.generatedTokens,
              totalTokens: answer.timings.promptTokens + answer.timings.generatedTokens)
    }
}
