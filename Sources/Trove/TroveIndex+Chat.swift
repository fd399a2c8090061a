import Foundation
import LlamaDecoder

/// One turn of a conversation given to ``TroveIndex/chat(_:options:onText:)``.
public struct ChatTurn: Codable, Sendable, Equatable {
    /// Who speaks.
    public enum Role: String, Codable, Sendable {
        case system, user, assistant
    }

    public var role: Role
    public var content: String

    public init(_ role: Role, _ content: String) {
        self.role = role
        self.content = content
    }
}

/// A prompt that leaves no room for the tokens asked for: the caller's mistake, not the engine's
/// (the HTTP server answers it with a 400).
public struct PromptTooLong: Error, CustomStringConvertible, Equatable {
    public var promptTokens: Int
    public var maxTokens: Int
    public var contextLength: Int

    public var description: String {
        "the prompt is \(promptTokens) tokens and \(maxTokens) more were asked for, " +
            "but the model's context holds \(contextLength)"
    }
}

extension TroveIndex {
    /// Continues a conversation through the decoder's chat template (the multi-turn form of
    /// ``generate(_:options:onText:)``); `options.system` is ignored, give a `.system` turn instead.
    /// Throws ``PromptTooLong`` when the templated turns and `options.maxTokens` exceed the context.
    public func chat(_ turns: [ChatTurn], options: GenerationOptions = GenerationOptions(),
                     onText: (String) -> Void = { _ in }) throws -> Generation {
        let decoder = try decoder()
        let messages = turns.map { turn in
            ChatMessage(ChatMessage.Role(rawValue: turn.role.rawValue) ?? .user, turn.content)
        }
        let ids = try decoder.requireTemplate().encode(messages, with: decoder.tokenizer)
        let context = decoder.model.config.contextLength
        guard ids.count + options.maxTokens <= context else {
            throw PromptTooLong(promptTokens: ids.count, maxTokens: options.maxTokens, contextLength: context)
        }
        return try generate(ids: ids, decoder: decoder, options: options, onText: onText)
    }

    /// The names a client may use for the two models: the encoder's folder name and the decoder's
    /// file name without `.gguf` (the `id`s of the server's `GET /v1/models`).
    public var modelNames: (encoder: String, decoder: String) {
        (models.encoderFolder.standardizedFileURL.lastPathComponent,
         models.decoderFile.deletingPathExtension().lastPathComponent)
    }
}
