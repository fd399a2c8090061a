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

/// A model's chat format, recognised from the Jinja text of `tokenizer.chat_template` and
/// rendered in Swift to exactly the text that template renders (transformers'
/// `apply_chat_template`) for a conversation of system, user and assistant turns plus the
/// generation prompt. The rendered text is meant to be tokenized with special tokens parsed.
///
/// Trove does not run Jinja: each case is one style of template, written out in Swift
/// (`ChatTemplate+Render.swift`, `ChatTemplate+Conversations.swift`), and a template is taken
/// only when its markup names the style and every text it holds is one that style knows
/// (`ChatTemplate+Recognition.swift`, `ChatTemplate+KnownText.swift`). Every template in llama.cpp's
/// `models/templates/` is either rendered byte for byte as Jinja renders it or refused with a
/// ``ChatTemplateError`` (Tests/LlamaDecoderTests/ChatTemplatesMatchJinjaTests.swift).
///
/// ```swift
/// let template = try ChatTemplate(gguf: gguf)
/// let prompt = try template.render([ChatMessage(.user, "What is the capital of France?")])
/// // SmolLM2: "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by
/// //  Hugging Face<|im_end|>\n<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n"
/// ```
public enum ChatTemplate: Sendable, Equatable {
    /// `<|im_start|>role\ncontent<|im_end|>\n` … `<|im_start|>assistant\n`. Templates such as
    /// SmolLM2's and Qwen2.5's insert a default system turn when the conversation has none.
    case chatML(defaultSystemPrompt: String?)
    /// Qwen3's ChatML: an assistant turn after the last user turn shows its reasoning as
    /// `<think>\n…\n</think>\n\n`; an earlier one loses it.
    case qwen3
    /// `<|begin_of_text|><|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>`, contents trimmed.
    case llama3(bos: String)
    /// Llama 3.1–3.3: as `llama3`, but the system turn is always written and starts with
    /// `Cutting Knowledge Date: December 2023\nToday Date: DATE\n\n`.
    case llama31(bos: String, date: TodayDate)
    /// `<s>[INST] <<SYS>>\nsystem\n<</SYS>>\n\nuser [/INST] answer </s>`, contents stripped.
    case llama2(bos: String, eos: String)
    /// `<s>[INST] user [/INST]answer</s>`; a system message is prefixed to the first user turn.
    case mistral(bos: String, eos: String)
    /// Mistral Nemo's: `<s>[INST]user[/INST]answer</s>`, no spaces; a system message goes before
    /// the last user turn; user and assistant turns must alternate.
    case mistralTekken(bos: String, eos: String)
    /// `<bos><start_of_turn>user\ncontent<end_of_turn>\n` … `<start_of_turn>model\n`; turns
    /// alternate; a system message starts the first turn (Gemma 3) or is refused (Gemma 2).
    case gemma(bos: String, systemRole: GemmaSystemRole)
    /// Phi-3.5: `<|role|>\ncontent<|end|>\n` … `<|assistant|>\n`; an empty system turn is
    /// skipped; without the generation prompt the text ends with `eos` (when the template says so).
    case phi3(eos: String?)
    /// Phi-3-mini: `<s><|user|>\ncontent<|end|>\n<|assistant|>\n` for every user turn, answers
    /// as `content<|end|>\n`; system turns are dropped.
    case phi3Mini(bos: String)
    /// `<|role|>\ncontent` + end + `\n` … `<|assistant|>\n`, end being `</s>` (eos) or `<|endoftext|>`.
    case zephyr(end: String)

    /// Where Llama 3.1's `Today Date:` comes from.
    public enum TodayDate: Sendable, Equatable {
        /// The date written in the template (Llama 3.1's `26 Jul 2024`).
        case fixed(String)
        /// The day of rendering (`strftime_now("%d %b %Y")`, Llama 3.2).
        case today
    }

    /// What a Gemma template does with a system message.
    public enum GemmaSystemRole: Sendable, Equatable {
        /// Gemma 3: its text and a blank line start the first turn.
        case prefixedToFirstTurn
        /// Gemma 2: `System role not supported`.
        case refused
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

    /// The style's name, for `trove doctor`, logs and errors.
    public var name: String {
        switch self {
        case .chatML: return "chatml"
        case .qwen3: return "qwen3"
        case .llama3: return "llama-3"
        case .llama31: return "llama-3.1"
        case .llama2: return "llama-2"
        case .mistral: return "mistral"
        case .mistralTekken: return "mistral-tekken"
        case .gemma: return "gemma"
        case .phi3: return "phi-3"
        case .phi3Mini: return "phi-3-mini"
        case .zephyr: return "zephyr"
        }
    }

    /// Whether the rendered text already starts with the BOS token's text, so the caller must
    /// not add another BOS when tokenizing.
    public var rendersBOS: Bool {
        switch self {
        case .llama3, .llama31, .llama2, .mistral, .mistralTekken, .gemma, .phi3Mini: return true
        case .chatML, .qwen3, .phi3, .zephyr: return false
        }
    }
}
