extension ChatTemplate {
    /// Every text (string literal, or text printed outside the tags) that a template of this style
    /// may hold and still be rendered by Trove: the markup the renderer writes, the keys and role
    /// names the templates compare against, their own error messages, and the texts of branches
    /// Trove never takes (tool prompts and tool calls: Trove passes no tools and no tool turns).
    ///
    /// The lists are the texts of the real templates of each style (llama.cpp's
    /// `models/templates/`, the models' `tokenizer_config.json`, the GGUF files'
    /// `tokenizer.chat_template`). A template that holds any other text might write it, so it is
    /// refused naming that text rather than rendered differently from its Jinja.
    var knownTexts: Set<String> {
        switch self {
        case let .chatML(defaultSystemPrompt):
            var texts = Self.keys.union(Self.chatMLMarkup).union(Self.qwenToolTexts)
            if let defaultSystemPrompt {
                texts.formUnion([defaultSystemPrompt, "<|im_start|>system\n\(defaultSystemPrompt)<|im_end|>\n"])
            }
            return texts
        case .qwen3:
            return Self.keys.union(Self.chatMLMarkup).union(Self.qwenToolTexts)
                .union(["<think>", "</think>", "\n<think>\n", "\n</think>\n\n", "<think>\n\n</think>\n\n", "\n\n"])
        case .llama3:
            return Self.keys.union(Self.llama3Markup)
        case .llama31:
            return Self.keys.union(Self.llama3Markup).union(Self.llama31Texts)
        case .llama2:
            return Self.keys.union([Self.alternate, "<<SYS>>\n", "\n<</SYS>>\n\n", "[INST] ", " [/INST]", " "])
        case .mistral:
            return Self.keys.union([Self.alternate, "[INST] ", " [/INST]", "Only user and assistant roles are supported!"])
        case .mistralTekken:
            return Self.keys.union(Self.mistralTekkenTexts)
        case .gemma:
            return Self.keys.union([Self.alternate, "System role not supported", "<start_of_turn>", "<end_of_turn>\n",
                                    "<start_of_turn>model\n", "model", "\n", "\n\n", "image", "<start_of_image>",
                                    "Invalid content type"])
        case .phi3, .phi3Mini:
            return Self.keys.union(["<|system|>\n", "<|user|>\n", "<|assistant|>\n", "<|end|>\n",
                                    "<|user|>", "<|assistant|>", "<|end|>", "\n"])
        case .zephyr:
            return Self.keys.union(["<|system|>\n", "<|user|>\n", "<|assistant|>\n", "<|assistant|>", "\n"])
        }
    }

    /// Keys and role names that templates compare against or index with.
    private static let keys: Set<String> = ["", "role", "content", "system", "user", "assistant", "type", "text"]

    /// The message of the templates that insist on user/assistant turns.
    private static let alternate = "Conversation roles must alternate user/assistant/user/assistant/..."

    private static let chatMLMarkup: Set<String> = [
        "<|im_start|>", "<|im_end|>", "<|im_end|>\n", "\n", "<|im_start|>system\n", "<|im_start|>assistant\n",
    ]

    /// Qwen2.5's and Qwen3's tool prompt and tool-call markup (branches taken only with tools).
    private static let qwenToolTexts: Set<String> = [
        "tool", "<|im_start|>user", "<tool_response>", "</tool_response>", "\n<tool_response>\n", "\n</tool_response>",
        "\n<tool_call>\n{\"name\": \"", "<tool_call>\n{\"name\": \"", "\", \"arguments\": ", "}\n</tool_call>",
        "\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>",
        "# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>",
        "\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n",
    ]

    private static let llama3Markup: Set<String> = [
        "<|start_header_id|>", "<|end_header_id|>\n\n", "<|eot_id|>", "<|start_header_id|>assistant<|end_header_id|>\n\n",
    ]

    /// Llama 3.1–3.3's system block, date, and tool prompts (taken only with tools).
    private static let llama31Texts: Set<String> = [
        "<|start_header_id|>system<|end_header_id|>\n\n", "<|start_header_id|>user<|end_header_id|>\n\n",
        "<|start_header_id|>ipython<|end_header_id|>\n\n", "Cutting Knowledge Date: December 2023\n", "Today Date: ",
        "26 Jul 2024", "%d %b %Y", "\n\n", "Environment: ipython\n", "Tools: ", ", ", "equalto", "code_interpreter",
        "ipython", "tool", "tool_calls", "<|python_tag|>", "<|eom_id|>", ".call(", "=\"", "\"", ")", "{\"name\": \"",
        "\", ", "\"parameters\": ", "}",
        "You have access to the following functions. To call a function, please respond with JSON for a function call.",
        "Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its value}.",
        "Do not use variables.\n\n",
        "Given the following functions, please respond with a JSON for a function call ",
        "with its proper arguments that best answers the given prompt.\n\n",
        "Cannot put tools in the first user message when there's no first user message!",
        "This model only supports single tool-calls at once!",
    ]

    /// Mistral Nemo's markup, its checks' messages, and its tool markup (taken only with tools).
    private static let mistralTekkenTexts: Set<String> = [
        "[INST]", "[/INST]", "\n\n", "equalto", "tool", "tool_results", "return",
        "After the optional system message, conversation roles must alternate user/assistant/user/assistant/...",
        "Only user and assistant roles are supported, with the exception of an initial optional system message!",
        "Tool call IDs should be alphanumeric strings with length 9!",
        "[AVAILABLE_TOOLS][", "[/AVAILABLE_TOOLS]", "{\"type\": \"function\", \"function\": {", "\"", "\": \"", "\": ", ", ",
        "}}", "]", "[TOOL_CALLS][", ", \"id\": \"", "\"}", "[TOOL_RESULTS]{\"content\": ", "\"call_id\": \"", "\"}[/TOOL_RESULTS]",
    ]
}
