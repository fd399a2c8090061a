import Tokenizers

/// A stretch of a rendered prompt: template markup (special tokens parsed) or message content
/// (tokenized as plain text, so a document cannot inject `<|im_end|>`).
public struct ChatSegment: Sendable, Equatable {
    /// The text.
    public var text: String
    /// True for a message's content, false for the template's own markup.
    public var isContent: Bool
}

extension ChatTemplate {
    /// The prompt text for `messages`, ending with the assistant's opening when
    /// `addGenerationPrompt` is true (the llama-2 and mistral templates have no such opening:
    /// the prompt ends at `[/INST]`).
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool = true) -> String {
        segments(messages, addGenerationPrompt: addGenerationPrompt).map(\.text).joined()
    }

    /// The prompt's token ids: the rendered text tokenized as llama.cpp would with special tokens
    /// parsed, except that special-token text inside message contents stays plain text. BOS is
    /// added where the model asks for it, unless the template writes it itself.
    public func encode(_ messages: [ChatMessage], with tokenizer: any DecoderTokenizer, addGenerationPrompt: Bool = true) -> [Int32] {
        let parts = segments(messages, addGenerationPrompt: addGenerationPrompt).map { (text: $0.text, parseSpecial: !$0.isContent) }
        return tokenizer.encode(parts, addSpecial: !rendersBOS)
    }

    /// The rendered prompt as markup and content segments, in order.
    public func segments(_ messages: [ChatMessage], addGenerationPrompt: Bool = true) -> [ChatSegment] {
        var out: [ChatSegment] = []
        func markup(_ text: String) { out.append(ChatSegment(text: text, isContent: false)) }
        func content(_ text: String) { out.append(ChatSegment(text: text, isContent: true)) }

        switch self {
        case let .chatML(defaultSystem):
            if let defaultSystem, messages.first?.role != .system {
                markup("<|im_start|>system\n\(defaultSystem)<|im_end|>\n")
            }
            for m in messages { markup("<|im_start|>\(m.role.rawValue)\n"); content(m.content); markup("<|im_end|>\n") }
            if addGenerationPrompt { markup("<|im_start|>assistant\n") }

        case let .llama3(bos):
            markup(bos)
            for m in messages {
                markup("<|start_header_id|>\(m.role.rawValue)<|end_header_id|>\n\n"); content(Self.trimmed(m.content)); markup("<|eot_id|>")
            }
            if addGenerationPrompt { markup("<|start_header_id|>assistant<|end_header_id|>\n\n") }

        case let .llama2(bos, eos):
            var turns = messages[...]
            var system: String?
            if turns.first?.role == .system { system = turns.removeFirst().content }
            for (index, m) in turns.enumerated() {
                var text = Self.trimmed(m.content)
                if m.role == .assistant {
                    markup(" "); content(text); markup(" \(eos)")
                    continue
                }
                markup("\(bos)[INST] ")
                if index == 0, let system {
                    // strip('<<SYS>>\n' + system + '\n<</SYS>>\n\n' + content): the user text
                    // now sits inside, so only its trailing whitespace goes.
                    text = Self.trimmedEnd(m.content)
                    markup("<<SYS>>\n"); content(system); markup("\n<</SYS>>\n\n")
                }
                content(text); markup(" [/INST]")
            }

        case let .mistral(bos, eos):
            markup(bos)
            for m in Self.foldingSystem(messages) {
                switch m.role {
                case .user, .system: markup("[INST] "); content(m.content); markup(" [/INST]")
                case .assistant: content(m.content); markup(eos)
                }
            }

        case let .gemma(bos):
            markup(bos)
            for m in Self.foldingSystem(messages) {
                markup("<start_of_turn>\(m.role == .assistant ? "model" : "user")\n"); content(Self.trimmed(m.content)); markup("<end_of_turn>\n")
            }
            if addGenerationPrompt { markup("<start_of_turn>model\n") }

        case .phi3:
            for m in messages { markup("<|\(m.role.rawValue)|>\n"); content(m.content); markup("<|end|>\n") }
            if addGenerationPrompt { markup("<|assistant|>\n") }

        case let .zephyr(end):
            for m in messages { markup("<|\(m.role.rawValue)|>\n"); content(m.content); markup("\(end)\n") }
            if addGenerationPrompt { markup("<|assistant|>\n") }
        }
        return out.filter { !$0.text.isEmpty }
    }

    /// Jinja's `trim` / Python's `strip()`: leading and trailing whitespace removed.
    static func trimmed(_ s: String) -> String {
        var scalars = Substring(s).unicodeScalars[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    /// Trailing whitespace removed.
    static func trimmedEnd(_ s: String) -> String {
        var scalars = Substring(s).unicodeScalars[...]
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    /// For templates without a system role: the system text, then a blank line, then the first
    /// user message.
    static func foldingSystem(_ messages: [ChatMessage]) -> [ChatMessage] {
        guard messages.count >= 2, messages[0].role == .system, messages[1].role == .user else {
            return messages.filter { $0.role != .system }
        }
        return [ChatMessage(.user, messages[0].content + "\n\n" + messages[1].content)] + messages.dropFirst(2)
    }
}
