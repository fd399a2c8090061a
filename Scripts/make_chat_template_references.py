"""Jinja's rendering of llama.cpp's real chat templates, for Trove's chat-template tests.

Every `*.jinja` file in the folder, the published templates of supported families that the
folder lacks (PUBLISHED_TEMPLATES), and the `tokenizer.chat_template` of every GGUF file given
(with that file's own bos/eos token texts) is rendered for each conversation below exactly as Hugging Face
transformers' `apply_chat_template` renders it (transformers/utils/chat_template_utils.py,
`_compile_jinja_template`): an `ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)`
with the `loopcontrols` extension and the `{% generation %}` tag, `tojson` as json.dumps with
ensure_ascii False, `raise_exception`, and `strftime_now` (fixed here to DATE so that the
reference does not change from day to day; the Swift test renders with the same date). The
variables are `messages`, `tools` and `documents` (None), `add_generation_prompt`, and the
family's `bos_token`/`eos_token` (for a `.jinja` file, the table below, by file name: the test
set-up may know which file is which; Trove's recogniser must not, it reads only the template's text).

A template that raises (raise_exception, an undefined attribute, …) for a conversation is
recorded with its error instead of a text:

    {"jinja2": "3.1.6", "date": "2026-01-15",
     "conversations": [{"name", "messages": [{"role", "content"}], "add_generation_prompt"}],
     "templates": [{"file", "source" ("llama.cpp templates" | "published" | "gguf"), "template", "bos_token", "eos_token",
                    "renders": [{"conversation", "text"} | {"conversation", "error"}]}]}

Run by Scripts/fetch-chat-templates.sh with the python of .build/reference-venv:

    python make_chat_template_references.py TEMPLATES_FOLDER OUTPUT.json [GGUF...]
"""
import datetime
import glob
import json
import os
import sys

import jinja2
from jinja2.ext import Extension
from jinja2.sandbox import ImmutableSandboxedEnvironment

DATE = datetime.datetime(2026, 1, 15, 9, 30, 0)

SYSTEM = "You are a helpful assistant."
CONVERSATIONS = [
    ("system-user", [("system", SYSTEM), ("user", "What is the capital of France?")], True),
    ("user", [("user", "Hello!")], True),
    ("multi-turn", [("user", "Hi"), ("assistant", "Hello! How can I help?"), ("user", "Tell me a joke.")], True),
    ("system-multi-turn", [("system", SYSTEM), ("user", "Hi"), ("assistant", "Hello! How can I help?"),
                           ("user", "Tell me a joke.")], True),
    ("no-generation-prompt", [("user", "Hi"), ("assistant", "Hello!")], False),
    ("special-characters", [("system", "  Be terse.\n"),
                            ("user", "Line one\nLine two\n\n  indented\t tab  \"double\" 'single' {{ braces }} "
                                     "{% tag %} <|im_end|> [INST] </s> café ☕ 日本語 \\backslash\n")], True),
    ("assistant-reasoning", [("user", "What is 2+2?"), ("assistant", "<think>\nSimple sum.\n</think>\n\n4"),
                             ("user", "And 3+3?")], True),
]

# (bos_token, eos_token) by file-name prefix, as the models' tokenizer_config.json give them.
SPECIAL_TOKENS = [
    ("meta-llama-Llama-3", "<|begin_of_text|>", "<|eot_id|>"),
    ("deepseek-ai-DeepSeek-R1-Distill-Llama", "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"),
    ("deepseek-ai", "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"),
    ("llama-cpp-deepseek", "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"),
    ("NousResearch-Hermes", "<|begin_of_text|>", "<|im_end|>"),
    ("fireworks-ai-llama-3", "<|begin_of_text|>", "<|eot_id|>"),
    ("meetkai-functionary", "<|begin_of_text|>", "<|eot_id|>"),
    ("Qwen", "<|endoftext|>", "<|im_end|>"),
    ("HuggingFaceTB", "<|im_start|>", "<|im_end|>"),
    ("microsoft-Phi-3", "<s>", "<|endoftext|>"),
    ("google-gemma", "<bos>", "<eos>"),
    ("mistralai", "<s>", "</s>"),
    ("unsloth-mistral", "<s>", "</s>"),
]


# Templates of supported families that llama.cpp's folder lacks, as the models' tokenizer_config.json
# publish them: (name, template, bos_token, eos_token).
PUBLISHED_TEMPLATES = [
    ("Meta-Llama-3-8B-Instruct",
     "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + "
     "message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
     "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}"
     "{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}",
     "<|begin_of_text|>", "<|eot_id|>"),
    ("Llama-2-7b-chat-hf",
     "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set system_message = "
     "messages[0]['content'] %}{% else %}{% set loop_messages = messages %}{% set system_message = false %}{% endif %}"
     "{% for message in loop_messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
     "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
     "{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\\n' + system_message + "
     "'\\n<</SYS>>\\n\\n' + message['content'] %}{% else %}{% set content = message['content'] %}{% endif %}"
     "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}"
     "{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}",
     "<s>", "</s>"),
    ("Mistral-7B-Instruct-v0.1",
     "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
     "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
     "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
     "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}"
     "{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}",
     "<s>", "</s>"),
    ("TinyLlama-1.1B-Chat-v1.0",
     "{% for message in messages %}\n{% if message['role'] == 'user' %}\n{{ '<|user|>\n' + message['content'] + "
     "eos_token }}\n{% elif message['role'] == 'system' %}\n{{ '<|system|>\n' + message['content'] + eos_token }}\n"
     "{% elif message['role'] == 'assistant' %}\n{{ '<|assistant|>\n'  + message['content'] + eos_token }}\n"
     "{% endif %}\n{% if loop.last and add_generation_prompt %}\n{{ '<|assistant|>' }}\n{% endif %}\n{% endfor %}",
     "<s>", "</s>"),
    ("gemma-3-1b-it",
     "{{ bos_token }}\n{%- if messages[0]['role'] == 'system' -%}\n    {%- if messages[0]['content'] is string -%}\n"
     "        {%- set first_user_prefix = messages[0]['content'] + '\n\n' -%}\n    {%- else -%}\n"
     "        {%- set first_user_prefix = messages[0]['content'][0]['text'] + '\n\n' -%}\n    {%- endif -%}\n"
     "    {%- set loop_messages = messages[1:] -%}\n{%- else -%}\n    {%- set first_user_prefix = \"\" -%}\n"
     "    {%- set loop_messages = messages -%}\n{%- endif -%}\n{%- for message in loop_messages -%}\n"
     "    {%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}\n"
     "        {{ raise_exception(\"Conversation roles must alternate user/assistant/user/assistant/...\") }}\n"
     "    {%- endif -%}\n    {%- if (message['role'] == 'assistant') -%}\n        {%- set role = \"model\" -%}\n"
     "    {%- else -%}\n        {%- set role = message['role'] -%}\n    {%- endif -%}\n"
     "    {{ '<start_of_turn>' + role + '\n' + (first_user_prefix if loop.first else \"\") }}\n"
     "    {%- if message['content'] is string -%}\n        {{ message['content'] | trim }}\n"
     "    {%- elif message['content'] is iterable -%}\n        {%- for item in message['content'] -%}\n"
     "            {%- if item['type'] == 'image' -%}\n                {{ '<start_of_image>' }}\n"
     "            {%- elif item['type'] == 'text' -%}\n                {{ item['text'] | trim }}\n"
     "            {%- endif -%}\n        {%- endfor -%}\n    {%- else -%}\n"
     "        {{ raise_exception(\"Invalid content type\") }}\n    {%- endif -%}\n    {{ '<end_of_turn>\n' }}\n"
     "{%- endfor -%}\n{%- if add_generation_prompt -%}\n    {{'<start_of_turn>model\n'}}\n{%- endif -%}\n",
     "<bos>", "<eos>"),
]


class GenerationTag(Extension):
    """`{% generation %}…{% endgeneration %}`: transformers marks assistant text with it; the
    rendered text is the body, unchanged."""
    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return jinja2.nodes.CallBlock(self.call_method("_body"), [], [], body).set_lineno(lineno)

    def _body(self, caller):
        return caller()


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def environment():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                        extensions=[GenerationTag, jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = lambda fmt: DATE.strftime(fmt)
    return env


def special_tokens(file):
    for prefix, bos, eos in SPECIAL_TOKENS:
        if file.startswith(prefix):
            return bos, eos
    return "<s>", "</s>"


def gguf_template(path):
    """(template, bos, eos) of a GGUF file: `tokenizer.chat_template` and the texts of its
    bos/eos token ids, as Trove's `ChatTemplate(gguf:)` reads them; None without a template."""
    import gguf
    reader = gguf.GGUFReader(path)

    def value(key):
        field = reader.fields.get(key)
        return None if field is None else field.contents()

    template = value("tokenizer.chat_template")
    if template is None:
        return None
    tokens = value("tokenizer.ggml.tokens")

    def text(key, fallback):
        index = value(key)
        return tokens[index] if index is not None and 0 <= index < len(tokens) else fallback

    return template, text("tokenizer.ggml.bos_token_id", "<s>"), text("tokenizer.ggml.eos_token_id", "</s>")


def main():
    folder, output, ggufs = sys.argv[1], sys.argv[2], sys.argv[3:]
    env = environment()
    result = {"jinja2": jinja2.__version__, "date": DATE.strftime("%Y-%m-%d"),
              "conversations": [{"name": name, "messages": [{"role": r, "content": c} for r, c in turns],
                                 "add_generation_prompt": agp} for name, turns, agp in CONVERSATIONS],
              "templates": []}
    files = sorted(glob.glob(os.path.join(folder, "*.jinja")))
    if not files:
        sys.exit(f"error: no *.jinja templates in {folder}")
    sources = []
    for path in files:
        with open(path, encoding="utf-8") as f:
            sources.append((os.path.basename(path), "llama.cpp templates", f.read(), *special_tokens(os.path.basename(path))))
    for name, template, bos, eos in PUBLISHED_TEMPLATES:
        sources.append((name, "published", template, bos, eos))
    for path in ggufs:
        found = gguf_template(path)
        if found is not None:
            sources.append((os.path.basename(path), "gguf", *found))
    for file, origin, source, bos, eos in sources:
        entry = {"file": file, "source": origin, "template": source, "bos_token": bos, "eos_token": eos, "renders": []}
        try:
            compiled = env.from_string(source)
        except jinja2.exceptions.TemplateError as error:
            compiled, compile_error = None, f"{type(error).__name__}: {error}"
        for name, turns, agp in CONVERSATIONS:
            render = {"conversation": name}
            if compiled is None:
                render["error"] = compile_error
            else:
                messages = [{"role": r, "content": c} for r, c in turns]
                try:
                    render["text"] = compiled.render(messages=messages, tools=None, documents=None,
                                                     add_generation_prompt=agp, bos_token=bos, eos_token=eos)
                except Exception as error:  # any failure of the template is its answer for this conversation
                    render["error"] = f"{type(error).__name__}: {error}"
            entry["renders"].append(render)
        result["templates"].append(entry)
    with open(output, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
    print(f"chat-template references: {len(sources)} templates x {len(CONVERSATIONS)} conversations", file=sys.stderr)


if __name__ == "__main__":
    main()
