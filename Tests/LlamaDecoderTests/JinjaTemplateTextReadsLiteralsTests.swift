@testable import LlamaDecoder
import Testing

/// `JinjaTemplateText` finds every string literal in a template's tags and the text Jinja prints
/// outside them after whitespace control (trim_blocks, lstrip_blocks, `-`), as transformers
/// renders chat templates.
struct JinjaTemplateTextReadsLiteralsTests {
    @Test("literals are decoded, kept once, and may hold a tag's closing characters")
    func literals() {
        let text = JinjaTemplateText(#"{{ '<|im_start|>' + "a\"b" + '\n' }}{%- if x == 'user' %}{{- "}}" }}{% endif %}{{ '<|im_start|>' }}"#)
        #expect(text.literals == ["<|im_start|>", "a\"b", "\n", "user", "}}"])
        #expect(text.printedText.isEmpty)
    }

    @Test("comments hold no literals; text outside tags is kept unless whitespace control removes it")
    func printedText() {
        // trim_blocks drops the newline after %}, lstrip_blocks the indentation before {%.
        #expect(JinjaTemplateText("{% if x %}\n    {% endif %}\n").printedText.isEmpty)
        // After }} nothing is trimmed: TinyLlama's template prints these newlines.
        #expect(JinjaTemplateText("{% if x %}\n{{ 'a' }}\n{% endif %}").printedText == ["\n"])
        // Indentation before {{ is printed; `-` strips whitespace on its side.
        #expect(JinjaTemplateText("{% if x %}\n    {{ 'a' }}").printedText == ["    "])
        #expect(JinjaTemplateText("{% if x %}\n    {{- 'a' -}}  \n  {% endif %}").printedText.isEmpty)
        #expect(JinjaTemplateText("{# 'not a literal' #}Hello {{ name }}").printedText == ["Hello "])
        #expect(JinjaTemplateText("{# 'not a literal' #}").literals.isEmpty)
    }
}
