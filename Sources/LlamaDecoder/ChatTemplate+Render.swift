extension ChatTemplate {
    /// The prompt text for `messages`, ending with the assistant's opening when
    /// `addGenerationPrompt` is true (the llama-2 and mistral templates have no such opening:
    /// the prompt ends at `[/INST]`).
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool = true) -> String {
        var out = ""
        switch self {
        case let .chatML(defaultSystem):
            if let defaultSystem, messages.first?.role != .system {
                out += "<|im_start|>system\n\(defaultSystem)<|im_end|>\n"
            }
            for m in messages { out += "<|im_start|>\(m.role.rawValue)\n\(m.content)<|im_end|>\n" }
            if addGenerationPrompt { out += "<|im_start|>assistant\n" }

        case let .llama3(bos):
            out += bos
            for m in messages {
                out += "<|start_header_id|>\(m.role.rawValue)<|end_header_id|>\n\n\(Self.trimmed(m.content))<|eot_id|>"
            }
            if addGenerationPrompt { out += "<|start_header_id|>assistant<|end_header_id|>\n\n" }

        case let .llama2(bos, eos):
            var turns = messages[...]
            var system: String?
            if turns.first?.role == .system { system = turns.removeFirst().content }
            for (index, m) in turns.enumerated() {
                var content = m.content
                if index == 0, let system { content = "<<SYS>>\n\(system)\n<</SYS>>\n\n\(content)" }
                switch m.role {
                case .user, .system: out += "\(bos)[INST] \(Self.trimmed(content)) [/INST]"
                case .assistant: out += " \(Self.trimmed(content)) \(eos)"
                }
            }

        case let .mistral(bos, eos):
            out += bos
            for m in Self.foldingSystem(messages) {
                switch m.role {
                case .user, .system: out += "[INST] \(m.content) [/INST]"
                case .assistant: out += "\(m.content)\(eos)"
                }
            }

        case let .gemma(bos):
            out += bos
            for m in Self.foldingSystem(messages) {
                let role = m.role == .assistant ? "model" : "user"
                out += "<start_of_turn>\(role)\n\(Self.trimmed(m.content))<end_of_turn>\n"
            }
            if addGenerationPrompt { out += "<start_of_turn>model\n" }

        case .phi3:
            for m in messages { out += "<|\(m.role.rawValue)|>\n\(m.content)<|end|>\n" }
            if addGenerationPrompt { out += "<|assistant|>\n" }

        case let .zephyr(end):
            for m in messages { out += "<|\(m.role.rawValue)|>\n\(m.content)\(end)\n" }
            if addGenerationPrompt { out += "<|assistant|>\n" }
        }
        return out
    }

    /// Jinja's `trim` / Python's `strip()`: leading and trailing whitespace removed.
    static func trimmed(_ s: String) -> String {
        var scalars = Substring(s).unicodeScalars[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
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
