import Foundation
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
    /// The prompt text for `messages`, byte for byte what the model's Jinja template renders
    /// (transformers' `apply_chat_template`), ending with the assistant's opening when
    /// `addGenerationPrompt` is true (the llama-2 and mistral templates have no such opening:
    /// the prompt ends at `[/INST]`). `today` is the date Llama 3.2's template writes.
    /// Throws ``ChatTemplateError/conversationRefused(template:reason:)`` where the template
    /// itself refuses the conversation (a system turn for Gemma 2, turns that do not alternate).
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool = true, today: Date = Date()) throws -> String {
        try segments(messages, addGenerationPrompt: addGenerationPrompt, today: today).map(\.text).joined()
    }

    /// The prompt's token ids: the rendered text tokenized as llama.cpp would with special tokens
    /// parsed, except that special-token text inside message contents stays plain text. BOS is
    /// added where the model asks for it, unless the template writes it itself.
    public func encode(_ messages: [ChatMessage], with tokenizer: any DecoderTokenizer, addGenerationPrompt: Bool = true,
                       today: Date = Date()) throws -> [Int32] {
        let parts = try segments(messages, addGenerationPrompt: addGenerationPrompt, today: today)
        return tokenizer.encode(parts.map { (text: $0.text, parseSpecial: !$0.isContent) }, addSpecial: !rendersBOS)
    }

    /// The rendered prompt as markup and content segments, in order.
    public func segments(_ messages: [ChatMessage], addGenerationPrompt: Bool = true, today: Date = Date()) throws -> [ChatSegment] {
        var prompt = PromptWriter()
        switch self {
        case let .chatML(defaultSystemPrompt):
            if let defaultSystemPrompt, messages.first?.role != .system {
                prompt.markup("<|im_start|>system\n\(defaultSystemPrompt)<|im_end|>\n")
            }
            for m in messages { prompt.markup("<|im_start|>\(m.role.rawValue)\n"); prompt.content(m.content); prompt.markup("<|im_end|>\n") }
            if addGenerationPrompt { prompt.markup("<|im_start|>assistant\n") }

        case .qwen3:
            Self.writeQwen3(messages, into: &prompt)
            if addGenerationPrompt { prompt.markup("<|im_start|>assistant\n") }

        case let .llama3(bos):
            prompt.markup(bos)
            for m in messages { prompt.llama3Turn(m.role.rawValue, Self.trimmed(m.content)) }
            if addGenerationPrompt { prompt.markup("<|start_header_id|>assistant<|end_header_id|>\n\n") }

        case let .llama31(bos, date):
            // The system turn is always there: the knowledge cut-off, the date, then the system text.
            var turns = messages[...]
            let system = turns.first?.role == .system ? Self.trimmed(turns.removeFirst().content) : ""
            let dateText = switch date { case let .fixed(text): text; case .today: Self.dayMonthYear(today) }
            prompt.markup(bos)
            prompt.llama3Turn("system", system, header: "Cutting Knowledge Date: December 2023\nToday Date: \(dateText)\n\n")
            for m in turns { prompt.llama3Turn(m.role.rawValue, Self.trimmed(m.content)) }
            if addGenerationPrompt { prompt.markup("<|start_header_id|>assistant<|end_header_id|>\n\n") }

        case let .llama2(bos, eos):
            try Self.writeLlama2(messages, bos: bos, eos: eos, into: &prompt)

        case let .mistral(bos, eos):
            prompt.markup(bos)
            for (index, m) in messages.enumerated() {
                try Self.requireAlternation(m, at: index, template: name)
                switch m.role {
                case .user: prompt.markup("[INST] "); prompt.content(m.content); prompt.markup(" [/INST]")
                case .assistant: prompt.content(m.content); prompt.markup(eos)
                case .system: throw ChatTemplateError.conversationRefused(template: name, reason: "Only user and assistant roles are supported!")
                }
            }

        case let .mistralTekken(bos, eos):
            try Self.writeMistralTekken(messages, bos: bos, eos: eos, into: &prompt)

        case let .gemma(bos, systemRole):
            try Self.writeGemma(messages, bos: bos, systemRole: systemRole, into: &prompt)
            if addGenerationPrompt { prompt.markup("<start_of_turn>model\n") }

        case let .phi3(eos):
            for m in messages where !(m.role == .system && m.content.isEmpty) {
                prompt.markup("<|\(m.role.rawValue)|>\n"); prompt.content(m.content); prompt.markup("<|end|>\n")
            }
            prompt.markup(addGenerationPrompt ? "<|assistant|>\n" : eos ?? "")

        case let .phi3Mini(bos):
            // The answer's opening follows every user turn, so there is no separate generation prompt.
            prompt.markup(bos)
            for m in messages {
                switch m.role {
                case .user: prompt.markup("<|user|>\n"); prompt.content(m.content); prompt.markup("<|end|>\n<|assistant|>\n")
                case .assistant: prompt.content(m.content); prompt.markup("<|end|>\n")
                case .system: break
                }
            }

        case let .zephyr(end):
            for m in messages { prompt.markup("<|\(m.role.rawValue)|>\n"); prompt.content(m.content); prompt.markup("\(end)\n") }
            if addGenerationPrompt, !messages.isEmpty { prompt.markup("<|assistant|>\n") }
        }
        return prompt.segments.filter { !$0.text.isEmpty }
    }

    /// The templates' check `(message['role'] == 'user') != (loop.index0 % 2 == 0)`: user turns
    /// at even places, assistant turns at odd ones.
    static func requireAlternation(_ message: ChatMessage, at index: Int, template: String,
                                   reason: String = "Conversation roles must alternate user/assistant/user/assistant/...") throws {
        if (message.role == .user) != (index % 2 == 0) {
            throw ChatTemplateError.conversationRefused(template: template, reason: reason)
        }
    }

    /// `strftime("%d %b %Y")` in the C locale and the local time zone, as transformers'
    /// `strftime_now` (Python's `datetime.now()`): `07 Dec 2026`.
    static func dayMonthYear(_ date: Date) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let parts = calendar.dateComponents([.day, .month, .year], from: date)
        let day = parts.day ?? 1, month = parts.month ?? 1, year = parts.year ?? 1970
        return (day < 10 ? "0\(day)" : "\(day)") + " \(months[month - 1]) \(year)"
    }
}

/// The prompt being written, as markup and content segments.
struct PromptWriter {
    private(set) var segments: [ChatSegment] = []

    /// Template text: special tokens in it are parsed.
    mutating func markup(_ text: String) { segments.append(ChatSegment(text: text, isContent: false)) }

    /// Text from a message: tokenized as plain text.
    mutating func content(_ text: String) { segments.append(ChatSegment(text: text, isContent: true)) }

    /// `<|start_header_id|>role<|end_header_id|>\n\n` + header + content + `<|eot_id|>`.
    mutating func llama3Turn(_ role: String, _ text: String, header: String = "") {
        markup("<|start_header_id|>\(role)<|end_header_id|>\n\n\(header)")
        content(text)
        markup("<|eot_id|>")
    }
}
