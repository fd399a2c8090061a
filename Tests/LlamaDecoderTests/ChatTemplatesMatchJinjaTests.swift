import Foundation
import LlamaDecoder
import Testing
import TroveTestSupport

/// Every chat template in llama.cpp's `models/templates/` (plus the published templates of
/// supported families that the folder lacks, and the GGUF files' own) is either rendered byte for
/// byte as jinja2 renders it, the way transformers' `apply_chat_template` does, for every reference
/// conversation, or refused with a message naming the file. The references are made by
/// Scripts/fetch-chat-templates.sh (Scripts/make_chat_template_references.py says how).
struct ChatTemplatesMatchJinjaTests {
    struct Message: Decodable { let role: String; let content: String }
    struct Conversation: Decodable { let name: String; let messages: [Message]; let add_generation_prompt: Bool }
    struct Rendering: Decodable { let conversation: String; let text: String?; let error: String? }

    struct Template: Decodable, Sendable, CustomTestStringConvertible {
        let file: String
        let source: String
        let template: String
        let bos_token: String
        let eos_token: String
        let renders: [Rendering]
        var testDescription: String { file }
    }

    struct References: Decodable {
        let date: String
        let conversations: [Conversation]
        let templates: [Template]
    }

    static var referencesFile: URL { Fixtures.chatTemplatesFolder.appendingPathComponent("references.json") }
    static let loaded = Result { try JSONDecoder().decode(References.self, from: Fixtures.required(referencesFile)) }
    static var templates: [Template] { (try? loaded.get().templates) ?? [] }

    /// The templates Trove renders, with the style each must be recognised as: those of the
    /// families Trove runs (Llama 3.x, Qwen2/2.5, Qwen3, Gemma, Phi-3, SmolLM2, Mistral, TinyLlama,
    /// Llama 2). Every other template must be refused.
    static let rendered: [String: String] = [
        "meta-llama-Llama-3.1-8B-Instruct.jinja": "llama-3.1",
        "meta-llama-Llama-3.2-3B-Instruct.jinja": "llama-3.1",
        "meta-llama-Llama-3.3-70B-Instruct.jinja": "llama-3.1",
        "Qwen-Qwen2.5-7B-Instruct.jinja": "chatml",
        "Qwen-Qwen3-0.6B.jinja": "qwen3",
        "google-gemma-2-2b-it.jinja": "gemma",
        "microsoft-Phi-3.5-mini-instruct.jinja": "phi-3",
        "mistralai-Mistral-Nemo-Instruct-2407.jinja": "mistral-tekken",
        "Meta-Llama-3-8B-Instruct": "llama-3",
        "Llama-2-7b-chat-hf": "llama-2",
        "Mistral-7B-Instruct-v0.1": "mistral",
        "TinyLlama-1.1B-Chat-v1.0": "zephyr",
        "gemma-3-1b-it": "gemma",
        "SmolLM2-135M-Instruct.Q4_1.gguf": "chatml",
        "ggml-vocab-qwen2.gguf": "chatml",
        "ggml-vocab-qwen35.gguf": "chatml",
        "ggml-vocab-phi-3.gguf": "phi-3-mini",
        // Xiaomi's MiMo-VL (a Qwen2.5-VL model, an architecture Trove does not run): plain ChatML.
        "MiMo-VL.jinja": "chatml",
    ]

    /// The references' `strftime_now` instant: `date` at 09:30 local time, as the script fixes it.
    static func referenceDay(_ day: String) throws -> Date {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        return try #require(calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 9, minute: 30)))
    }

    @Test("the references hold llama.cpp's folder and every template listed as rendered")
    func referencesAreComplete() throws {
        let references = try Self.loaded.get()
        #expect(references.templates.filter { $0.source == "llama.cpp templates" }.count >= 70)
        #expect(references.conversations.count >= 7)
        let files = Set(references.templates.map(\.file))
        #expect(Set(Self.rendered.keys).subtracting(files).isEmpty, "listed as rendered but not in the references")
    }

    @Test("rendered exactly as jinja2 renders it (its refusals too), or refused naming the file", arguments: templates)
    func rendersExactlyOrIsRefused(_ reference: Template) throws {
        let references = try Self.loaded.get()
        let today = try Self.referenceDay(references.date)
        let template: ChatTemplate
        do {
            template = try ChatTemplate(template: reference.template, bos: reference.bos_token, eos: reference.eos_token, source: reference.file)
        } catch let error as ChatTemplateError {
            #expect(Self.rendered[reference.file] == nil, "a supported family's template is refused: \(error)")
            #expect("\(error)".hasPrefix("\(reference.file): "), "the refusal names the file")
            return
        }
        #expect(template.name == Self.rendered[reference.file], "recognised as \(template.name)")
        for rendering in reference.renders {
            let conversation = try #require(references.conversations.first { $0.name == rendering.conversation })
            let messages = try conversation.messages.map { ChatMessage(try #require(ChatMessage.Role(rawValue: $0.role)), $0.content) }
            do {
                let text = try template.render(messages, addGenerationPrompt: conversation.add_generation_prompt, today: today)
                let expected = try #require(rendering.text, "\(conversation.name): jinja2 refuses (\(rendering.error ?? "")) but Trove renders \(String(reflecting: text))")
                #expect(Array(text.utf8) == Array(expected.utf8), "\(conversation.name): \(String(reflecting: text)) != \(String(reflecting: expected))")
            } catch let ChatTemplateError.conversationRefused(_, reason) {
                #expect(rendering.error == "TemplateError: \(reason)", "\(conversation.name): Trove refuses (\(reason))")
            }
        }
    }
}
