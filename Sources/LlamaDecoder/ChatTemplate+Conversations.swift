import Foundation

/// The styles whose templates reorder, fold or check the conversation before writing it; each
/// function follows its template's Jinja step by step (quoted above the step).
extension ChatTemplate {
    /// Qwen3 (Qwen3-0.6B's template): reasoning is shown only in assistant turns after the last
    /// real user turn (one that is not a `<tool_response>`), and there only in the last turn or
    /// when it has any.
    static func writeQwen3(_ messages: [ChatMessage], into prompt: inout PromptWriter) {
        func isToolResponse(_ m: ChatMessage) -> Bool {
            m.content.hasPrefix("<tool_response>") && m.content.hasSuffix("</tool_response>")
        }
        let lastQuery = messages.lastIndex { $0.role == .user && !isToolResponse($0) } ?? messages.count - 1
        for (index, m) in messages.enumerated() {
            switch m.role {
            case .system where index > 0, .user:
                prompt.markup("<|im_start|>\(m.role.rawValue)\n"); prompt.content(m.content); prompt.markup("<|im_end|>\n")
            case .system: // messages[0]: written first, outside the loop
                prompt.markup("<|im_start|>system\n"); prompt.content(m.content); prompt.markup("<|im_end|>\n")
            case .assistant:
                // content = content.split('</think>')[-1].lstrip('\n'); reasoning =
                // content.split('</think>')[0].rstrip('\n').split('<think>')[-1].lstrip('\n')
                var content = m.content, reasoning = ""
                if content.contains("</think>") {
                    let parts = content.components(separatedBy: "</think>")
                    content = pythonStrip(parts[parts.count - 1], .leading, only: "\n")
                    let opened = pythonStrip(parts[0], .trailing, only: "\n").components(separatedBy: "<think>")
                    reasoning = pythonStrip(opened[opened.count - 1], .leading, only: "\n")
                }
                if index > lastQuery, index == messages.count - 1 || !reasoning.isEmpty {
                    prompt.markup("<|im_start|>assistant\n<think>\n"); prompt.content(pythonStrip(reasoning, only: "\n"))
                    prompt.markup("\n</think>\n\n"); prompt.content(pythonStrip(content, .leading, only: "\n"))
                } else {
                    prompt.markup("<|im_start|>assistant\n"); prompt.content(content)
                }
                prompt.markup("<|im_end|>\n")
            }
        }
    }

    /// Llama-2-chat: the system text is wrapped in `<<SYS>>` inside the first user turn, each user
    /// turn opens with BOS, contents are `strip()`ped, turns must alternate.
    static func writeLlama2(_ messages: [ChatMessage], bos: String, eos: String, into prompt: inout PromptWriter) throws {
        var turns = messages[...]
        let system = turns.first?.role == .system ? turns.removeFirst().content : nil
        for (index, m) in turns.enumerated() {
            try requireAlternation(m, at: index, template: "llama-2")
            switch m.role {
            case .user:
                prompt.markup("\(bos)[INST] ")
                if index == 0, let system {
                    // strip('<<SYS>>\n' + system + '\n<</SYS>>\n\n' + content): the user text sits
                    // at the end, so only trailing whitespace goes (all of it, if the user text is blank).
                    let whole = pythonStrip("<<SYS>>\n\(system)\n<</SYS>>\n\n\(m.content)")
                    prompt.markup("<<SYS>>\n"); prompt.content(String(whole.dropFirst("<<SYS>>\n".count)))
                } else {
                    prompt.content(pythonStrip(m.content))
                }
                prompt.markup(" [/INST]")
            case .assistant:
                prompt.markup(" "); prompt.content(pythonStrip(m.content)); prompt.markup(" \(eos)")
            case .system:
                break // at an odd place it passes the alternation check and writes nothing
            }
        }
    }

    /// Mistral Nemo (tekken): user and assistant turns alternate after an optional system
    /// message, which is written inside the last turn when that turn is the user's.
    static func writeMistralTekken(_ messages: [ChatMessage], bos: String, eos: String, into prompt: inout PromptWriter) throws {
        var turns = messages[...]
        let system = turns.first?.role == .system ? turns.removeFirst().content : nil
        let name = "mistral-tekken"
        for (index, m) in turns.enumerated() {
            try requireAlternation(m, at: index, template: name,
                                   reason: "After the optional system message, conversation roles must alternate user/assistant/user/assistant/...")
        }
        prompt.markup(bos)
        for (index, m) in turns.enumerated() {
            switch m.role {
            case .user:
                prompt.markup("[INST]")
                if index == turns.count - 1, let system { prompt.content(system); prompt.markup("\n\n") }
                prompt.content(m.content); prompt.markup("[/INST]")
            case .assistant:
                prompt.content(m.content); prompt.markup(eos)
            case .system:
                throw ChatTemplateError.conversationRefused(
                    template: name, reason: "Only user and assistant roles are supported, with the exception of an initial optional system message!")
            }
        }
    }

    /// Gemma: no system role. Gemma 3 writes the system text and a blank line at the start of the
    /// first turn (untrimmed; the turn's own text is trimmed); Gemma 2 refuses it. Turns must
    /// alternate; the assistant is called `model`.
    static func writeGemma(_ messages: [ChatMessage], bos: String, systemRole: GemmaSystemRole, into prompt: inout PromptWriter) throws {
        var turns = messages[...]
        var firstPrefix = ""
        if turns.first?.role == .system {
            if systemRole == .refused { throw ChatTemplateError.conversationRefused(template: "gemma", reason: "System role not supported") }
            firstPrefix = turns.removeFirst().content + "\n\n"
        }
        prompt.markup(bos)
        for (index, m) in turns.enumerated() {
            try requireAlternation(m, at: index, template: "gemma")
            prompt.markup("<start_of_turn>\(m.role == .assistant ? "model" : m.role.rawValue)\n")
            if index == 0 { prompt.content(firstPrefix) }
            prompt.content(trimmed(m.content)); prompt.markup("<end_of_turn>\n")
        }
    }

    /// Jinja's `trim` and Python's `strip()`: whitespace as `str.isspace` sees it removed from both ends.
    static func trimmed(_ s: String) -> String { pythonStrip(s) }

    enum Ends { case both, leading, trailing }

    /// Python's `strip()`, `lstrip()` and `rstrip()` (`ends`), of whitespace or of `only` that
    /// character. By Unicode scalars, so `\r\n` loses its `\n` as in Python.
    static func pythonStrip(_ s: String, _ ends: Ends = .both, only: Unicode.Scalar? = nil) -> String {
        func strips(_ c: Unicode.Scalar) -> Bool { only.map { c == $0 } ?? isPythonSpace(c) }
        var scalars = Substring(s).unicodeScalars[...]
        if ends != .trailing { while let first = scalars.first, strips(first) { scalars.removeFirst() } }
        if ends != .leading { while let last = scalars.last, strips(last) { scalars.removeLast() } }
        return String(String.UnicodeScalarView(scalars))
    }

    /// Python's `str.isspace`: Unicode White_Space plus the separators U+001C–U+001F.
    static func isPythonSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || (0x1C ... 0x1F).contains(scalar.value)
    }
}
