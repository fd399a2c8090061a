import ModelFiles

/// One turn of a conversation.
public struct ChatMessage: Sendable, Equatable {
    /// Who speaks.
    public enum Role: String, Sendable {
        case system, user, assistant
    }

    /// Who speaks.
    public var role: Role
    /// What is said (plain text; special-token text in it is parsed when the prompt is tokenized).
    public var content: String

    /// A turn: `ChatMessage(.user, "What is the capital of France?")`.
    public init(_ role: Role, _ content: String) {
        self.role = role
        self.content = content
    }
}

/// Why a chat template could not be used. (Kept apart from `LlamaDecoderError` until the two
/// are merged.)
public enum ChatTemplateError: Error, CustomStringConvertible, Equatable {
    /// The template is not one of the families Trove renders; `start` is its first characters.
    case unknownTemplate(file: String, start: String)

    /// The message, naming the file and the template's start.
    public var description: String {
        switch self {
        case let .unknownTemplate(file, start):
            return "\(file): unrecognised chat template starting \"\(start)\" (known: ChatML, llama-3, llama-2, mistral, gemma, phi-3, zephyr); use --raw to send the prompt as it is"
        }
    }
}

/// A model's chat format, recognised from the Jinja text of `tokenizer.chat_template` by its
/// distinctive markers (as llama.cpp's `llm_chat_detect_template`) and rendered in Swift to
/// the text that template produces for `[system?, user, assistant, …]` plus the generation
/// prompt. The rendered text is meant to be tokenized with special tokens parsed.
///
/// ```swift
/// let template = try ChatTemplate(gguf: gguf)
/// let prompt = template.render([ChatMessage(.user, "What is the capital of France?")])
/// // SmolLM2: "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by
/// //  Hugging Face<|im_end|>\n<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n"
/// ```
public enum ChatTemplate: Sendable, Equatable {
    /// `<|im_start|>role\ncontent<|im_end|>\n` … `<|im_start|>assistant\n`. Templates such as
    /// SmolLM2's insert a default system turn when the conversation has none.
    case chatML(defaultSystemPrompt: String?)
    /// `<|begin_of_text|><|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>`, contents trimmed.
    case llama3(bos: String)
    /// `<s>[INST] <<SYS>>\nsystem\n<</SYS>>\n\nuser [/INST] answer </s>`, contents stripped.
    case llama2(bos: String, eos: String)
    /// `<s>[INST] user [/INST]answer</s>`; a system message is prefixed to the first user turn.
    case mistral(bos: String, eos: String)
    /// `<bos><start_of_turn>user\ncontent<end_of_turn>\n` … `<start_of_turn>model\n`; no system
    /// role, so a system message is prefixed to the first user turn (as Gemma 3 does).
    case gemma(bos: String)
    /// `<|role|>\ncontent<|end|>\n` … `<|assistant|>\n`.
    case phi3
    /// `<|role|>\ncontent` + end + `\n` … `<|assistant|>\n`, end being `</s>` (eos) or `<|endoftext|>`.
    case zephyr(end: String)

    /// Recognises `template`. `bos`/`eos` are the vocabulary's texts of those tokens (the
    /// templates' `bos_token`/`eos_token`); `source` is named in the error for an unknown template.
    public init(template: String, bos: String = "<s>", eos: String = "</s>", source: String = "chat template") throws {
        func has(_ marker: String) -> Bool { template.contains(marker) }
        if has("<|im_start|>") {
            self = .chatML(defaultSystemPrompt: Self.defaultSystemPrompt(in: template))
        } else if has("<|start_header_id|>") && has("<|end_header_id|>") {
            self = .llama3(bos: bos)
        } else if has("<start_of_turn>") {
            self = .gemma(bos: bos)
        } else if has("<|assistant|>") && has("<|end|>") {
            self = .phi3
        } else if has("<|user|>") && has("<|assistant|>") {
            self = .zephyr(end: has("<|endoftext|>") ? "<|endoftext|>" : eos)
        } else if has("[INST]") {
            self = has("<<SYS>>") ? .llama2(bos: bos, eos: eos) : .mistral(bos: bos, eos: eos)
        } else {
            let start = String(template.prefix(60)).replacingOccurrences(of: "\n", with: "\\n")
            throw ChatTemplateError.unknownTemplate(file: source, start: start)
        }
    }

    /// The template of a GGUF file (`tokenizer.chat_template`), with its bos/eos token texts.
    public init(gguf: GGUFFile) throws {
        let template = try gguf.string("tokenizer.chat_template")
        let tokens = try gguf.stringArray("tokenizer.ggml.tokens")
        func text(_ key: String, _ fallback: String) throws -> String {
            guard gguf.has(key) else { return fallback }
            let id = try gguf.integer(key)
            return tokens.indices.contains(id) ? tokens[id] : fallback
        }
        try self.init(template: template, bos: text("tokenizer.ggml.bos_token_id", "<s>"),
                      eos: text("tokenizer.ggml.eos_token_id", "</s>"), source: gguf.path)
    }

    /// The family's name, for `trove doctor` and logs.
    public var name: String {
        switch self {
        case .chatML: return "chatml"
        case .llama3: return "llama-3"
        case .llama2: return "llama-2"
        case .mistral: return "mistral"
        case .gemma: return "gemma"
        case .phi3: return "phi-3"
        case .zephyr: return "zephyr"
        }
    }

    /// Whether the rendered text already starts with the BOS token's text, so the caller must
    /// not add another BOS when tokenizing.
    public var rendersBOS: Bool {
        switch self {
        case .llama3, .llama2, .mistral, .gemma: return true
        case .chatML, .phi3, .zephyr: return false
        }
    }

    /// SmolLM2-style templates: `{% if loop.first and messages[0]['role'] != 'system' %}{{
    /// '<|im_start|>system\nDEFAULT<|im_end|>\n' }}{% endif %}`. Returns DEFAULT, or nil.
    static func defaultSystemPrompt(in template: String) -> String? {
        guard let condition = template.range(of: "messages[0]['role'] != 'system'") ?? template.range(of: "messages[0][\"role\"] != \"system\"") else {
            return nil
        }
        let rest = template[condition.upperBound...]
        guard let endIf = rest.range(of: "{% endif %}"),
              let open = rest.range(of: "<|im_start|>system"), open.upperBound <= endIf.lowerBound,
              let close = rest[open.upperBound...].range(of: "<|im_end|>"), close.upperBound <= endIf.lowerBound
        else { return nil }
        var prompt = String(rest[open.upperBound ..< close.lowerBound])
        prompt = prompt.replacingOccurrences(of: "\\n", with: "\n") // an escaped newline in the Jinja literal
        if prompt.hasPrefix("\n") { prompt.removeFirst() }
        return prompt
    }
}
