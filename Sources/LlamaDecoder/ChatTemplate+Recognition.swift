import Foundation

extension ChatTemplate {
    /// Recognises `template`: its style from the markup it writes (as llama.cpp's
    /// `llm_chat_detect_template`), its variant from the features it uses, and then checks that
    /// every text it holds is one the style's renderer knows (``knownTexts``), so that a template
    /// with extras Trove does not render (tool prompts, thinking blocks, other families' markup)
    /// is refused instead of rendered differently from its Jinja.
    ///
    /// `bos`/`eos` are the vocabulary's texts of those tokens (the templates' `bos_token` and
    /// `eos_token`); `source` (a file) is named in the errors.
    public init(template: String, bos: String = "<s>", eos: String = "</s>", source: String = "chat template") throws {
        let text = JinjaTemplateText(template)
        let style = try Self.style(of: template, text: text, bos: bos, eos: eos, source: source)
        let known = style.knownTexts
        if let unknown = (text.literals + text.printedText).first(where: { !known.contains($0) }) {
            throw ChatTemplateError.unsupportedTemplate(
                file: source, family: style.name,
                reason: "it holds the text \"\(Self.shown(unknown))\", which Trove's \(style.name) renderer does not write or know (tool prompts, thinking blocks, dates and other extras are not rendered)")
        }
        self = style
    }

    /// The style and variant the template's markup and features point to.
    private static func style(of template: String, text: JinjaTemplateText, bos: String, eos: String, source: String) throws -> ChatTemplate {
        func writes(_ marker: String) -> Bool {
            text.literals.contains { $0.contains(marker) } || text.printedText.contains { $0.contains(marker) }
        }
        func uses(_ name: String) -> Bool { template.contains(name) }

        if writes("<|im_start|>") {
            // Qwen3 reads an assistant turn's `reasoning_content` (or its `<think>` block) and keeps
            // it only after the last user turn.
            return uses("reasoning_content") ? .qwen3 : .chatML(defaultSystemPrompt: defaultSystemPrompt(in: text))
        }
        if writes("<|start_header_id|>") {
            guard writes("Cutting Knowledge Date:") else { return .llama3(bos: bos) }
            if uses("strftime_now") { return .llama31(bos: bos, date: .today) }
            guard let date = text.literals.first(where: isDate) else {
                throw ChatTemplateError.unsupportedTemplate(file: source, family: "llama-3.1", reason: "it writes a date Trove cannot find in it")
            }
            return .llama31(bos: bos, date: .fixed(date))
        }
        if writes("<start_of_turn>") {
            return .gemma(bos: bos, systemRole: writes("System role not supported") ? .refused : .prefixedToFirstTurn)
        }
        if writes("<|assistant|>") && writes("<|end|>") {
            // Phi-3-mini writes BOS and opens the answer after every user turn; Phi-3.5 does neither.
            return uses("bos_token") ? .phi3Mini(bos: bos) : .phi3(eos: uses("eos_token") ? eos : nil)
        }
        if writes("<|user|>") && writes("<|assistant|>") {
            return .zephyr(end: writes("<|endoftext|>") ? "<|endoftext|>" : eos)
        }
        if writes("[INST]") {
            if writes("<<SYS>>") { return .llama2(bos: bos, eos: eos) }
            // Mistral Nemo's tekken format has no spaces around the contents.
            return text.literals.contains("[INST]") ? .mistralTekken(bos: bos, eos: eos) : .mistral(bos: bos, eos: eos)
        }
        throw ChatTemplateError.unknownTemplate(file: source, start: shown(String(template.prefix(60))))
    }

    /// The default system prompt of SmolLM2's and Qwen2.5's templates, written as one literal
    /// `<|im_start|>system\nDEFAULT<|im_end|>\n` when the conversation has no system turn.
    static func defaultSystemPrompt(in text: JinjaTemplateText) -> String? {
        let open = "<|im_start|>system\n", close = "<|im_end|>\n"
        for literal in text.literals where literal.hasPrefix(open) && literal.hasSuffix(close) && literal.count > open.count + close.count {
            return String(literal.dropFirst(open.count).dropLast(close.count))
        }
        return nil
    }

    /// `26 Jul 2024`: Llama 3.1's fixed `date_string`.
    private static func isDate(_ literal: String) -> Bool {
        let parts = literal.split(separator: " ", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0].count <= 2 && parts[0].allSatisfy(\.isNumber)
            && parts[1].count == 3 && parts[2].count == 4 && parts[2].allSatisfy(\.isNumber)
    }

    /// A text as an error shows it: newlines escaped, at most 80 characters.
    static func shown(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "\n", with: "\\n")
        return escaped.count > 80 ? String(escaped.prefix(80)) + "…" : escaped
    }
}
