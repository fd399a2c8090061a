"""Drives `trove serve` with the official `openai` Python client: a real client no one here wrote.

Run by Scripts/test-openai-client.sh (which makes the virtual environment, the index and the
server). Every check raises on failure; the script prints one line per check.

    python openai_client_check.py BASE_URL TROVE_BINARY
"""
import json
import math
import subprocess
import sys

import openai
from openai import OpenAI

base_url, trove = sys.argv[1], sys.argv[2]
client = OpenAI(base_url=base_url, api_key="not-needed", max_retries=0, timeout=120)


def check(name, condition, detail=""):
    if not condition:
        raise SystemExit(f"FAIL {name}: {detail}")
    print(f"ok   {name}")


models = [m.id for m in client.models.list().data]
check("models.list names the encoder, the decoder and trove (chat from the index)",
      len(models) == 3 and models[2] == "trove", models)
encoder, decoder, _ = models

texts = ["Gannet Head lighthouse was first lit in 1853.", "storm damage to the harbour wall"]
reference = [json.loads(line)["embedding"] for line in
             subprocess.run([trove, "embed", "--json", *texts], check=True, capture_output=True, text=True).stdout.splitlines()]


def cosine(a, b):
    return sum(x * y for x, y in zip(a, b)) / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))


# The client asks for base64 unless told otherwise, and decodes it itself.
default = client.embeddings.create(model=encoder, input=texts)
check("embeddings (client default, base64) equal `trove embed`",
      [d.index for d in default.data] == [0, 1] and all(cosine(d.embedding, r) >= 0.99999 for d, r in zip(default.data, reference)),
      [cosine(d.embedding, r) for d, r in zip(default.data, reference)])
floats = client.embeddings.create(model=encoder, input=texts[0], encoding_format="float")
check("embeddings (float) equal `trove embed`", max(abs(a - b) for a, b in zip(floats.data[0].embedding, reference[0])) < 1e-6)
check("embeddings report token usage", default.usage.prompt_tokens > 10, default.usage)

messages = [{"role": "system", "content": "Answer in one short sentence."},
            {"role": "user", "content": "What is the capital of France?"}]
whole = client.chat.completions.create(model=decoder, messages=messages, max_tokens=24)
text = whole.choices[0].message.content
check("chat.completions answers", "Paris" in text and whole.choices[0].finish_reason in ("stop", "length"), text)
check("chat.completions reports usage", whole.usage.completion_tokens > 0 and whole.usage.prompt_tokens > 0, whole.usage)

pieces, finish = [], None
for chunk in client.chat.completions.create(model=decoder, messages=messages, max_tokens=24, stream=True):
    if chunk.choices:
        pieces.append(chunk.choices[0].delta.content or "")
        finish = chunk.choices[0].finish_reason or finish
check("chat.completions stream adds up to the whole reply (greedy)", "".join(pieces) == text and finish is not None,
      ("".join(pieces), text))

try:
    client.embeddings.create(model="text-embedding-3-small", input="x")
    check("an unknown model is refused", False, "no error")
except openai.NotFoundError as error:
    check("an unknown model is refused with 404 (openai.NotFoundError)", "does not exist" in str(error), error)
try:
    client.chat.completions.create(model=decoder, messages=messages, n=2)
    check("n=2 is refused", False, "no error")
except openai.BadRequestError as error:
    check("n=2 is refused with 400 (openai.BadRequestError)", "`n` must be 1" in str(error), error)
# The `trove` model: retrieval-augmented chat, answered from the index with checked citations.
question = [{"role": "user", "content": "How many granite blocks make up the Marrow Rock tower?"}]
rag = client.chat.completions.create(model="trove", messages=question)
reply = rag.choices[0].message.content
citations = rag.model_extra.get("citations") or []
check("model trove answers from the index, quoting with [n] and listing the sources",
      "2,164" in reply and "[1]" in reply and "Sources:" in reply and "marrow-rock.md" in reply, reply)
check("model trove gives the checked citations as data",
      citations and citations[0]["path"].endswith("marrow-rock.md") and citations[0]["quote"] in reply, citations)

pieces, last = [], None
for chunk in client.chat.completions.create(model="trove", messages=question, stream=True):
    if chunk.choices:
        pieces.append(chunk.choices[0].delta.content or "")
        last = chunk
check("model trove streams the same reply, citations on the last chunk",
      "".join(pieces) == reply and last.choices[0].finish_reason == "stop"
      and (last.model_extra.get("citations") or [{}])[0].get("path") == citations[0]["path"], ("".join(pieces), reply))

follow_up = [{"role": "user", "content": "Tell me about the Marrow Rock light."},
             {"role": "assistant", "content": "It is a rock lighthouse of the Skerrow Isles."},
             {"role": "user", "content": "On what date was it first exhibited?"}]
answer = client.chat.completions.create(model="trove", messages=follow_up).choices[0].message.content
check("model trove answers a follow-up from the conversation", "1846" in answer, answer)

refusal = client.chat.completions.create(model="trove", messages=[{"role": "user", "content": "What is the capital of Australia?"}])
check("model trove says when the documents do not cover it",
      refusal.choices[0].message.content == "The documents do not cover this." and refusal.model_extra.get("citations") == [],
      refusal.choices[0].message.content)
print("openai client: all checks passed")
