/// Why a chat template could not be used, or would not take a conversation. (Kept apart from
/// `LlamaDecoderError` until the two are merged.)
public enum ChatTemplateError: Error, CustomStringConvertible, Equatable {
    /// The template is not one of the styles Trove renders; `start` is its first characters.
    case unknownTemplate(file: String, start: String)
    /// The template is recognised as `family`, but Trove cannot render it exactly: `reason` says why
    /// (a text it writes that Trove's renderer does not know, or a family Trove does not support).
    case unsupportedTemplate(file: String, family: String, reason: String)
    /// The template itself refuses the conversation (its `raise_exception`): `reason` is its message.
    case conversationRefused(template: String, reason: String)

    /// The message, naming the file and what was found.
    public var description: String {
        switch self {
        case let .unknownTemplate(file, start):
            return "\(file): unrecognised chat template starting \"\(start)\" (known: ChatML, Qwen3, Llama 3, Llama 3.1, Llama 2, Mistral, Gemma, Phi-3, Zephyr); use --raw to send the prompt as it is"
        case let .unsupportedTemplate(file, family, reason):
            return "\(file): \(family) chat template not supported: \(reason); use --raw to send the prompt as it is"
        case let .conversationRefused(template, reason):
            return "the \(template) chat template refuses this conversation: \(reason)"
        }
    }
}
